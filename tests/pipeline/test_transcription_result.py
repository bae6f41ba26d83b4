"""The transcription document: segments from sentences with Whisper's figures, clean timed words."""

from __future__ import annotations

import pytest

from convoscope.pipeline.transcription_result import (
    TranscriptionResult,
    clean_word,
    compression_ratio,
    transcription_result,
)
from convoscope.pipeline.types import Sentence, Word


def sentence(text: str, start: float, probability: float = 0.9) -> Sentence:
    words = tuple(
        Word(f" {token}", start + 0.5 * i, start + 0.5 * i + 0.4, probability)
        for i, token in enumerate(text.split())
    )
    return Sentence(text=text, start=start, end=words[-1].end, words=words)


def test_segments_carry_whisper_figures_and_words_lose_punctuation() -> None:
    sentences = [sentence("Ask not, what your country can do.", 1.25), sentence("Really?", 6.0, 0.5)]
    result = transcription_result(
        sentences,
        task="transcribe",
        language="en",
        duration=8.0,
        temperature=0.2,
        tokenize=lambda t: [len(t)],
    )
    assert result.text == "Ask not, what your country can do. Really?"
    first, second = result.segments
    assert (first.id, first.seek, first.start, first.end) == (0, 125, 1.25, 4.65)
    assert first.tokens == [len(" Ask not, what your country can do.")] and first.temperature == 0.2
    assert first.avg_logprob == pytest.approx(-0.1054, abs=1e-4) and second.avg_logprob == pytest.approx(
        -0.6931, abs=1e-4
    )
    assert first.no_speech_prob == 0.0 and 0 < first.compression_ratio < 2.4
    assert [w.word for w in result.words] == ["Ask", "not", "what", "your", "country", "can", "do", "Really"]


def test_the_document_survives_json() -> None:
    result = transcription_result(
        [sentence("Hello there.", 0.0)], task="translate", language="de", duration=2.0
    )
    assert TranscriptionResult.from_json(result.to_json()) == result
    assert result.segments[0].tokens == []  # no tokenizer given


def test_an_empty_recording_is_an_empty_document() -> None:
    result = transcription_result([], task="transcribe", language="en", duration=5.0)
    assert (result.text, result.segments, result.words) == ("", (), ())


def test_repetition_compresses_well() -> None:
    assert (
        compression_ratio("thank you " * 40)
        > 2.4
        > compression_ratio("The quick brown fox jumps over the lazy dog.")
    )
    assert compression_ratio("") == 0.0


@pytest.mark.parametrize(
    ("raw", "clean"),
    [(" day.", "day"), (' "Hello,', "Hello"), (" don't", "don't"), (" ¿Qué?", "Qué"), (" ...", "")],
)
def test_clean_word(raw: str, clean: str) -> None:
    assert clean_word(raw) == clean
