"""A recognised recording as one self-contained document: text, timed segments, timed words.

This is what a transcription job hands back to the caller waiting for it (the OpenAI-style speech
API): Whisper's verbose report. Segments are the sentences of `segment` (one sentence, one cue);
each carries the figures Whisper reports per segment, computed from its words:

- `avg_logprob`: the mean log probability of its words (Whisper's is per token);
- `compression_ratio`: bytes of its text over bytes of the text zlib-compressed, as Whisper does
  (repetitive hallucinations compress well, so a high ratio flags them);
- `no_speech_prob`: 0.0, since voice activity detection already removed what was not speech;
- `seek`: where the segment starts, in Whisper's 10 ms frames;
- `tokens`: its text in the model's tokenizer, when the caller gives one.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from typing import Any, Literal

from convoscope.pipeline.types import Sentence, Word

# Characters trimmed off the ends of a reported word: OpenAI's words carry no punctuation.
_PUNCTUATION = "\"'`.,;:!?()[]{}<>«»“”‘’…¿¡。，、；：？！-–—"
_MIN_LOGPROB = -10.0  # a word with probability 0 would make the mean -inf


@dataclass(frozen=True)
class TimedWord:
    word: str
    start: float
    end: float


@dataclass(frozen=True)
class TimedSegment:
    id: int
    seek: int
    start: float
    end: float
    text: str
    tokens: list[int]
    temperature: float
    avg_logprob: float
    compression_ratio: float
    no_speech_prob: float


@dataclass(frozen=True)
class TranscriptionResult:
    task: Literal["transcribe", "translate"]
    language: str  # Whisper's code of the language spoken (detected, or as asked)
    duration: float  # seconds of audio
    text: str
    segments: tuple[TimedSegment, ...]
    words: tuple[TimedWord, ...]

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> TranscriptionResult:
        return cls(
            task=data["task"],
            language=data["language"],
            duration=float(data["duration"]),
            text=data["text"],
            segments=tuple(TimedSegment(**segment) for segment in data["segments"]),
            words=tuple(TimedWord(**word) for word in data["words"]),
        )


def compression_ratio(text: str) -> float:
    encoded = text.encode("utf-8")
    return len(encoded) / len(zlib.compress(encoded)) if encoded else 0.0


def _avg_logprob(words: Sequence[Word]) -> float:
    logs = [max(_MIN_LOGPROB, math.log(w.probability)) if w.probability else _MIN_LOGPROB for w in words]
    return sum(logs) / len(logs) if logs else 0.0


def clean_word(text: str) -> str:
    """A word as OpenAI reports it: no surrounding spaces or punctuation (`" day."` -> `"day"`)."""
    return text.strip().strip(_PUNCTUATION)


def transcription_result(
    sentences: Sequence[Sentence],
    *,
    task: Literal["transcribe", "translate"],
    language: str,
    duration: float,
    temperature: float = 0.0,
    tokenize: Callable[[str], list[int]] | None = None,
) -> TranscriptionResult:
    """The document of a recording's sentences (times in seconds from the start of the audio)."""
    segments = tuple(
        TimedSegment(
            id=index,
            seek=int(sentence.start * 100),
            start=round(sentence.start, 3),
            end=round(sentence.end, 3),
            text=sentence.text,
            tokens=tokenize(" " + sentence.text) if tokenize else [],
            temperature=temperature,
            avg_logprob=round(_avg_logprob(sentence.words), 4),
            compression_ratio=round(compression_ratio(sentence.text), 4),
            no_speech_prob=0.0,
        )
        for index, sentence in enumerate(sentences)
    )
    words = tuple(
        TimedWord(word=cleaned, start=round(word.start, 3), end=round(word.end, 3))
        for sentence in sentences
        for word in sentence.words
        if (cleaned := clean_word(word.text))
    )
    return TranscriptionResult(
        task=task,
        language=language,
        duration=round(duration, 3),
        text=" ".join(sentence.text for sentence in sentences),
        segments=segments,
        words=words,
    )
