"""Greedy decoding first, the beam search only for chunks that fail Whisper's checks (real tiny.en)."""

from __future__ import annotations

from typing import Any

import ctranslate2
import numpy as np
import pytest

from convoscope.pipeline import chunk_decoder, decode, greedy_first
from convoscope.pipeline.chunk_decoder import decode_speech
from convoscope.pipeline.greedy_first import GreedyFirstModel, _rows, compression_ratio
from convoscope.pipeline.models.pool import ModelPool
from convoscope.pipeline.speech_chunks import SpeechMap, chunk_bounds, speech_regions
from tests.fixtures.paths import SHARED_DATA as DATA

SR = decode.SAMPLE_RATE
KWARGS = {"language": "en", "beam_size": 5, "word_timestamps": True}


@pytest.fixture(scope="module")
def recording() -> np.ndarray:
    """About 45 s (two chunks): jfk and conv2_harvard, a second of silence between."""
    gap = np.zeros(SR, dtype=np.float32)
    return np.concatenate([decode.decode(DATA / "jfk.flac"), gap, decode.decode(DATA / "conv2_harvard.wav")])


@pytest.fixture(scope="module")
def two_streams(speech_pool: ModelPool) -> Any:
    return ModelPool(speech_pool.models_dir, streams=2, cpu_threads=1).get("tiny.en")


def texts(words: list[Any]) -> list[str]:
    return [w.text for w in words]


def test_compression_ratio_is_high_for_looping_text() -> None:
    assert compression_ratio("") == 0.0
    assert compression_ratio("Ask not what your country can do for you.") < 2.4
    assert compression_ratio("thank you " * 30) > 2.4


def test_rows_of_an_encoder_output_on_the_host() -> None:
    array = np.arange(3 * 4 * 2, dtype=np.float32).reshape(3, 4, 2)
    output = ctranslate2.StorageView.from_array(array)
    assert _rows(output, [0, 1, 2], 3) is output  # every row: no copy
    np.testing.assert_array_equal(np.asarray(_rows(output, [2, 0], 3)), array[[2, 0]])


@pytest.mark.slow
def test_clear_speech_keeps_the_greedy_words_and_needs_no_beam(
    recording: np.ndarray, two_streams: Any
) -> None:
    speech = SpeechMap.of(speech_regions(recording))
    beam = decode_speech(two_streams, recording, speech, KWARGS, batch_size=1)
    greedy = decode_speech(two_streams, recording, speech, KWARGS, batch_size=1, greedy_first=True)
    assert greedy.beam_chunks == 0 and beam.beam_chunks == 0
    found = "".join(texts(greedy.words)).lower()
    assert "ask not what your country can do for you" in found and "small dog" in found
    # Greedy and beam agree on nearly every word of clear speech (the WER figures: bench/README.md).
    assert abs(len(greedy.words) - len(beam.words)) <= 2


@pytest.mark.slow
def test_chunks_that_fail_the_checks_get_the_beam_searchs_words(
    recording: np.ndarray, two_streams: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With a log-probability threshold no decoding passes, every chunk is decoded again with the
    beam: the words are exactly the beam search's."""
    speech = SpeechMap.of(speech_regions(recording))
    beam = decode_speech(two_streams, recording, speech, KWARGS, batch_size=1)
    monkeypatch.setattr(greedy_first, "LOG_PROB_THRESHOLD", 0.0)
    redone = decode_speech(two_streams, recording, speech, KWARGS, batch_size=1, greedy_first=True)
    assert redone.beam_chunks == redone.batches >= 2
    assert texts(redone.words) == texts(beam.words)
    assert [(w.start, w.end) for w in redone.words] == [(w.start, w.end) for w in beam.words]


@pytest.mark.slow
def test_a_batch_redoes_only_its_doubtful_chunks(
    recording: np.ndarray, two_streams: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In a batch of two chunks, only the one failing the checks is decoded again, from its own
    rows of the encoder output."""
    speech = SpeechMap.of(speech_regions(recording))
    beam = decode_speech(two_streams, recording, speech, KWARGS, batch_size=2, streams=1)
    real = greedy_first._GreedyFirstGenerator._doubtful
    calls: list[int] = []

    def first_of_each_batch(self: Any, result: Any, kwargs: Any) -> bool:
        calls.append(1)
        real(self, result, kwargs)
        return len(calls) % 2 == 1

    monkeypatch.setattr(greedy_first._GreedyFirstGenerator, "_doubtful", first_of_each_batch)
    view = GreedyFirstModel(two_streams)
    monkeypatch.setattr(chunk_decoder, "GreedyFirstModel", lambda model: view)
    mixed = decode_speech(two_streams, recording, speech, KWARGS, batch_size=2, streams=1, greedy_first=True)
    assert (view.counts.chunks, view.counts.beam, mixed.beam_chunks) == (2, 1, 1)
    lo, hi = chunk_bounds(speech)[0]
    first_chunk_end = speech.regions_in(lo, hi)[-1][1] / SR
    in_first = [w.text for w in mixed.words if w.end <= first_chunk_end]
    assert in_first and in_first == [w.text for w in beam.words if w.end <= first_chunk_end]
