"""Speech that fits one window, decoded sequentially with timestamp tokens (real tiny.en, real audio)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from convoscope.pipeline import decode, greedy_first
from convoscope.pipeline.models.pool import ModelPool
from convoscope.pipeline.one_window import ONE_WINDOW_SECONDS, decode_one_window, fits_one_window
from convoscope.pipeline.speech_chunks import SpeechMap, speech_regions
from convoscope.pipeline.transcribe import TranscriptionOptions, transcribe
from tests.fixtures.paths import SHARED_DATA as DATA

SR = decode.SAMPLE_RATE
KWARGS = {"language": "en", "beam_size": 5, "word_timestamps": True}


@pytest.fixture(scope="module")
def short_recording() -> np.ndarray:
    """16.5 s: jfk (11 s), 2.5 s of room noise, then "The child almost hurt the small dog." (the first
    turn of conv2_harvard), the speech the batched decoder's first pass dropped in the benchmark's
    15 s recording."""
    noise = (np.random.default_rng(0).standard_normal(int(2.5 * SR)) * 0.002).astype(np.float32)
    child = decode.decode(DATA / "conv2_harvard.wav")[: int(3.0 * SR)]
    return np.concatenate([decode.decode(DATA / "jfk.flac"), noise, child])


@pytest.fixture(scope="module")
def tiny(speech_pool: ModelPool) -> Any:
    return speech_pool.get("tiny.en")


def text(words: Any) -> str:
    return " ".join("".join(w.text for w in words).lower().replace(",", "").replace(".", "").split())


def test_only_a_single_chunk_of_short_speech_fits_one_window() -> None:
    def speech(*seconds: float) -> SpeechMap:
        at, regions = 0, []
        for length in seconds:
            regions.append((at, at + int(length * SR)))
            at += int((length + 1.0) * SR)
        return SpeechMap.of(regions)

    assert fits_one_window(speech(8.0, 4.0), streams=2)
    assert fits_one_window(speech(ONE_WINDOW_SECONDS), streams=1)
    # Near the window's end the last segment stays open and a second window follows: batched instead.
    assert not fits_one_window(speech(ONE_WINDOW_SECONDS + 1.0), streams=1)
    assert not fits_one_window(speech(20.0, 20.0), streams=2)  # two chunks
    assert not fits_one_window(SpeechMap.of([]), streams=1)


@pytest.mark.slow
def test_short_speech_keeps_its_last_words_in_one_pass(short_recording: np.ndarray, tiny: Any) -> None:
    speech = SpeechMap.of(speech_regions(short_recording))
    assert fits_one_window(speech, streams=2)
    decoded = decode_one_window(tiny, short_recording, speech, KWARGS, greedy_first=True)
    found = text(decoded.words)
    assert "ask not what your country can do for you" in found
    assert found.endswith("the small dog")  # the recording's last words
    assert (decoded.batches, decoded.redecoded, decoded.language) == (1, 0, "en")
    # Times on the recording, past the pause that was cut out for the decoder.
    duration = short_recording.shape[0] / SR  # "dog" ends 0.13 s before the recording
    assert duration - 1.0 < decoded.words[-1].end <= duration
    starts = [w.start for w in decoded.words]
    assert starts == sorted(starts)


@pytest.mark.slow
def test_transcribe_takes_the_one_window_path_for_a_short_recording(
    short_recording: np.ndarray, tiny: Any
) -> None:
    result = transcribe(tiny, short_recording, TranscriptionOptions())
    speech = SpeechMap.of(speech_regions(short_recording))
    alone = decode_one_window(tiny, short_recording, speech, KWARGS, greedy_first=True)
    assert [w.text for w in result.words] == [w.text for w in alone.words]
    assert text(result.words).endswith("the small dog")


@pytest.mark.slow
def test_a_window_failing_the_checks_gets_the_beam_searchs_words(
    short_recording: np.ndarray, tiny: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With a log-probability threshold no decoding passes, the greedy result is replaced by the
    beam search's, from the same encoder output: exactly the words of the beam search alone."""
    speech = SpeechMap.of(speech_regions(short_recording))
    beam = decode_one_window(tiny, short_recording, speech, KWARGS)
    monkeypatch.setattr(greedy_first, "LOG_PROB_THRESHOLD", 0.0)
    redone = decode_one_window(tiny, short_recording, speech, KWARGS, greedy_first=True)
    assert redone.beam_chunks >= 1 and beam.beam_chunks == 0
    assert [w.text for w in redone.words] == [w.text for w in beam.words]
    assert [(w.start, w.end) for w in redone.words] == [(w.start, w.end) for w in beam.words]
