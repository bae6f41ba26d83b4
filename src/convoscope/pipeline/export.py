"""Formatted transcripts as Symbl's `POST .../transcript` returns them: Markdown and SubRip (SRT), and WebVTT.

Markdown follows Symbl's shape: paragraphs separated by `<br/><br/>`, `Name: ` before each speaker's
paragraph, key phrases wrapped in `<mark>`. Subtitle cues take their times from the messages,
relative to the start of the recording (a transcribed recording: leading silence delays the first
cue, so subtitles line up with the audio) or to the first message (text); messages without times get
times estimated from their word count (about 150 words a minute), following on from the previous cue.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from convoscope.pipeline.types import Transcript, TranscriptMessage

PARAGRAPH_BREAK = "<br/><br/>"
SECONDS_PER_WORD = 0.4
MIN_CUE_SECONDS = 1.0
MAX_PARAGRAPH_MESSAGES = 6
PARAGRAPH_PAUSE_SECONDS = 3.0


@dataclass(frozen=True)
class Cue:
    start: float  # seconds from the start of the conversation
    end: float
    message: TranscriptMessage


def _speaker_name(message: TranscriptMessage) -> str:
    return message.speaker.name if message.speaker else "Unknown Speaker"


def highlight(text: str, phrases: Sequence[str]) -> str:
    """Wrap each occurrence of the phrases in `<mark>` (longest first, never nested)."""
    spans: list[tuple[int, int]] = []
    for phrase in sorted({p.strip() for p in phrases if p.strip()}, key=len, reverse=True):
        for match in re.finditer(rf"(?<!\w){re.escape(phrase)}(?!\w)", text, re.IGNORECASE):
            if all(match.end() <= s or match.start() >= e for s, e in spans):
                spans.append((match.start(), match.end()))
    for start, end in sorted(spans, reverse=True):
        text = f"{text[:start]}<mark>{text[start:end]}</mark>{text[end:]}"
    return text


def cues(transcript: Transcript) -> list[Cue]:
    """One cue per message, with real times where the message has them and estimates elsewhere."""
    origin = transcript.origin()
    result: list[Cue] = []
    clock = 0.0
    for message in transcript.messages:
        estimated = max(MIN_CUE_SECONDS, SECONDS_PER_WORD * len(message.text.split()))
        if origin is not None and message.start_time is not None:
            start = (message.start_time - origin).total_seconds()
            end = (message.end_time - origin).total_seconds() if message.end_time else start + estimated
            end = max(end, start + 0.001)
        else:
            start, end = clock, clock + estimated
        result.append(Cue(start, end, message))
        clock = max(clock, end)
    return result


def _paragraphs(transcript: Transcript) -> list[list[Cue]]:
    """Consecutive messages of one speaker, split at long pauses and after a few sentences."""
    paragraphs: list[list[Cue]] = []
    for cue in cues(transcript):
        current = paragraphs[-1] if paragraphs else None
        if (
            current is not None
            and _speaker_name(current[-1].message) == _speaker_name(cue.message)
            and cue.start - current[-1].end < PARAGRAPH_PAUSE_SECONDS
            and len(current) < MAX_PARAGRAPH_MESSAGES
        ):
            current.append(cue)
        else:
            paragraphs.append([cue])
    return paragraphs


def to_markdown(
    transcript: Transcript,
    *,
    create_paragraphs: bool = True,
    show_speaker_separation: bool = True,
    highlight_phrases: Sequence[str] = (),
) -> str:
    """The transcript as Symbl's Markdown payload."""
    pieces: list[str] = []
    previous_speaker: str | None = None
    for paragraph in _paragraphs(transcript):
        text = " ".join(highlight(cue.message.text.strip(), highlight_phrases) for cue in paragraph)
        speaker = _speaker_name(paragraph[0].message)
        # Without paragraphs the name is still worth repeating when the speaker changes.
        if show_speaker_separation and (create_paragraphs or speaker != previous_speaker):
            text = f"{speaker}: {text}"
        pieces.append(text)
        previous_speaker = speaker
    return (PARAGRAPH_BREAK if create_paragraphs else " ").join(pieces)


def _timestamp(seconds: float, decimal_mark: str) -> str:
    milliseconds = round(max(0.0, seconds) * 1000)
    hours, rest = divmod(milliseconds, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}{decimal_mark}{millis:03d}"


def srt_of(cues: Sequence[tuple[float, float, str]]) -> str:
    """SubRip subtitles of (start seconds, end seconds, text) cues: numbered, `HH:MM:SS,mmm` times."""
    blocks = [
        f"{number}\n{_timestamp(start, ',')} --> {_timestamp(end, ',')}\n{text}\n"
        for number, (start, end, text) in enumerate(cues, start=1)
    ]
    return "\n".join(blocks)


def vtt_of(cues: Sequence[tuple[float, float, str]]) -> str:
    """WebVTT subtitles of (start seconds, end seconds, text) cues."""
    blocks = ["WEBVTT\n"]
    blocks.extend(
        f"{_timestamp(start, '.')} --> {_timestamp(end, '.')}\n{text}\n" for start, end, text in cues
    )
    return "\n".join(blocks)


def _cue_texts(transcript: Transcript, speaker: str | None) -> list[tuple[float, float, str]]:
    """The transcript's cues, each text preceded by its speaker in `speaker` format (`{}: `) if given."""
    return [
        (
            cue.start,
            cue.end,
            (speaker.format(_speaker_name(cue.message)) if speaker else "") + cue.message.text.strip(),
        )
        for cue in cues(transcript)
    ]


def to_srt(transcript: Transcript, *, show_speaker_separation: bool = False) -> str:
    """SubRip subtitles: numbered cues with `HH:MM:SS,mmm` times."""
    return srt_of(_cue_texts(transcript, "{}: " if show_speaker_separation else None))


def to_vtt(transcript: Transcript, *, show_speaker_separation: bool = False) -> str:
    """WebVTT subtitles; speakers as voice tags (`<v Name>`) when asked."""
    return vtt_of(_cue_texts(transcript, "<v {}>" if show_speaker_separation else None))
