from __future__ import annotations

from datetime import UTC, datetime, timedelta

from convoscope.pipeline.export import highlight, srt_of, to_markdown, to_srt, to_vtt, vtt_of
from convoscope.pipeline.types import Speaker, Transcript, TranscriptMessage

START = datetime(2020, 7, 10, 11, 16, 21, tzinfo=UTC)
LEWIS = Speaker("id-1", "Speaker 1")
CLIENT = Speaker("id-2", "Speaker 2")


def _transcript(timed: bool = True) -> Transcript:
    lines = [
        (LEWIS, "Good morning.", 0.0, 1.5),
        (CLIENT, "Thanks a lot.", 2.0, 3.2),
        (LEWIS, "Let us talk about the pricing of your accounting software.", 4.0, 8.1),
        (LEWIS, "It is simple.", 8.2, 9.0),
    ]
    messages = tuple(
        TranscriptMessage(
            str(index),
            text,
            speaker,
            START + timedelta(seconds=start) if timed else None,
            START + timedelta(seconds=end) if timed else None,
        )
        for index, (speaker, text, start, end) in enumerate(lines)
    )
    return Transcript("c", messages, START)


def test_markdown_paragraphs_speakers_and_marks() -> None:
    payload = to_markdown(
        _transcript(), highlight_phrases=["talk about the pricing of your accounting software"]
    )
    assert payload == (
        "Speaker 1: Good morning.<br/><br/>Speaker 2: Thanks a lot.<br/><br/>"
        "Speaker 1: Let us <mark>talk about the pricing of your accounting software</mark>. It is simple."
    )


def test_markdown_without_paragraphs_or_speakers() -> None:
    plain = to_markdown(_transcript(), create_paragraphs=False, show_speaker_separation=False)
    assert "<br/>" not in plain
    assert plain.startswith("Good morning. Thanks a lot. Let us talk")
    named = to_markdown(_transcript(), create_paragraphs=False)
    assert named.count("Speaker 1:") == 2 and "<br/>" not in named


def test_highlight_prefers_longer_phrases_and_never_nests() -> None:
    assert (
        highlight("send the quote today", ["the quote", "send the quote"])
        == "<mark>send the quote</mark> today"
    )


def test_srt_uses_message_times_from_the_first_message() -> None:
    srt = to_srt(_transcript(), show_speaker_separation=True)
    blocks = srt.strip().split("\n\n")
    assert blocks[0] == "1\n00:00:00,000 --> 00:00:01,500\nSpeaker 1: Good morning."
    assert blocks[2].startswith("3\n00:00:04,000 --> 00:00:08,100\n")
    assert len(blocks) == 4


def test_vtt_and_fallback_times_without_message_times() -> None:
    vtt = to_vtt(_transcript(timed=False), show_speaker_separation=True)
    assert vtt.startswith("WEBVTT\n\n00:00:00.000 --> 00:00:01.000\n<v Speaker 1>Good morning.")
    # Estimated cues follow one another and never go backwards.
    times = [line for line in vtt.splitlines() if "-->" in line]
    starts = [t.split(" --> ")[0] for t in times]
    assert starts == sorted(starts) and len(times) == 4


def test_subtitles_of_timed_cues_keep_the_recordings_times() -> None:
    """Cues timed from the start of the recording (not from the first cue), as speech APIs give them."""
    cues = [(2.5, 4.0, "Hello there."), (3725.041, 3726.0, "Later.")]
    assert srt_of(cues) == (
        "1\n00:00:02,500 --> 00:00:04,000\nHello there.\n\n2\n01:02:05,041 --> 01:02:06,000\nLater.\n"
    )
    assert vtt_of(cues) == (
        "WEBVTT\n\n00:00:02.500 --> 00:00:04.000\nHello there.\n\n01:02:05.041 --> 01:02:06.000\nLater.\n"
    )
    assert srt_of([]) == "" and vtt_of([]) == "WEBVTT\n"
