"""Recognised words -> sentences (one sentence becomes one stored message).

A sentence ends at sentence-final punctuation that Whisper put on a word, when the speaker or the
channel changes, at a long pause, or when it grows too long (then preferably after a comma). Each
channel is segmented on its own, so overlapping talk on two channels never mixes into one sentence;
the sentences of all channels are then interleaved by start time.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from convoscope.pipeline.types import Sentence, Word

SENTENCE_END = (".", "?", "!", "…", "。", "？", "！", "।", "؟")
CLAUSE_END = (",", ";", ":", "，", "、", "،")
CLOSERS = "\"'”’)]}»"


@dataclass(frozen=True)
class SegmentationOptions:
    """Limits for one sentence: pauses and lengths in seconds, `max_words` in words."""

    max_pause: float = 1.5
    max_duration: float = 30.0
    max_words: int = 60


def _ends(word: Word, marks: tuple[str, ...]) -> bool:
    return word.text.rstrip().rstrip(CLOSERS).endswith(marks)


def join_words(words: Sequence[Word]) -> str:
    """The sentence text. Whisper words carry their leading space (" world"); words from other
    sources may not, and are then joined with single spaces unless they are CJK-like (no spaces)."""
    texts = [w.text for w in words]
    spaced = any(t[:1].isspace() for t in texts[1:])
    if len(texts) > 1 and not spaced and any(c.isascii() and c.isalpha() for t in texts for c in t):
        return " ".join(t.strip() for t in texts if t.strip())
    return " ".join("".join(texts).split())


def _sentence(words: Sequence[Word]) -> Sentence:
    return Sentence(
        text=join_words(words),
        start=words[0].start,
        end=max(w.end for w in words),
        words=tuple(words),
        speaker=words[0].speaker,
        channel=words[0].channel,
    )


def _split_long(words: list[Word], options: SegmentationOptions) -> Iterable[list[Word]]:
    """Cut a run of words that is too long, after the last comma in its second half if there is one."""
    while words:
        n = 0
        while n < len(words) and (
            n < options.max_words and words[n].end - words[0].start <= options.max_duration
        ):
            n += 1
        if n >= len(words):
            yield words
            return
        n = max(n, 1)
        cut = next((i + 1 for i in range(n - 1, n // 2 - 1, -1) if _ends(words[i], CLAUSE_END)), n)
        yield words[:cut]
        words = words[cut:]


def _segment_stream(words: Sequence[Word], options: SegmentationOptions) -> list[Sentence]:
    """Sentences of one channel, words in recognition order."""
    runs: list[list[Word]] = []
    current: list[Word] = []
    for word in words:
        if current:
            previous = current[-1]
            if word.speaker != previous.speaker or word.start - previous.end > options.max_pause:
                runs.append(current)
                current = []
        current.append(word)
        if _ends(word, SENTENCE_END):
            runs.append(current)
            current = []
    if current:
        runs.append(current)
    return [_sentence(part) for run in runs for part in _split_long(run, options)]


def segment_words(words: Iterable[Word], options: SegmentationOptions | None = None) -> list[Sentence]:
    """Group words into sentences; sentences of all channels are interleaved by start time."""
    options = options or SegmentationOptions()
    by_channel: dict[int, list[Word]] = {}
    for word in words:
        by_channel.setdefault(word.channel, []).append(word)
    sentences: list[Sentence] = []
    for channel_words in by_channel.values():  # kept in recognition order
        sentences.extend(_segment_stream(channel_words, options))
    sentences.sort(key=lambda s: (s.start, s.channel, s.end))
    return sentences


def shift_word(word: Word, seconds: float) -> Word:
    return replace(word, start=word.start + seconds, end=word.end + seconds)


def shift_sentences(sentences: Iterable[Sentence], seconds: float) -> list[Sentence]:
    """Move sentences (and their words) later by `seconds`: an append continues the timeline."""
    if not seconds:
        return list(sentences)
    return [
        replace(
            s,
            start=s.start + seconds,
            end=s.end + seconds,
            words=tuple(shift_word(w, seconds) for w in s.words),
        )
        for s in sentences
    ]
