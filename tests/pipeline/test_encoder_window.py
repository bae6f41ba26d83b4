"""Encoder windows fitted to a batch's speech (real tiny.en on real clips)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from convoscope.pipeline import chunk_decoder, decode, encoder_window
from convoscope.pipeline.chunk_decoder import decode_speech
from convoscope.pipeline.encoder_window import FittedWindowModel, fitted_window, window_frames
from convoscope.pipeline.models.pool import ModelPool
from convoscope.pipeline.speech_chunks import SpeechMap, speech_regions
from tests.fixtures.media import jfk_then_a_sentence
from tests.fixtures.paths import SHARED_DATA as DATA

SR = decode.SAMPLE_RATE
KWARGS = {"language": "en", "beam_size": 5, "word_timestamps": True}


@pytest.fixture(scope="module")
def model(speech_pool: ModelPool) -> Any:
    return ModelPool(speech_pool.models_dir, streams=1, cpu_threads=1).get("tiny.en")


def test_window_covers_the_longest_chunk_and_its_padding() -> None:
    assert window_frames(11.0) == 1300  # 11 s + 2 s, 100 frames a second
    assert window_frames(1.31) == 332  # even: two mel frames per encoder position
    assert window_frames(28.5) == window_frames(30.0) == 3000  # never past Whisper's 30 s


def test_only_second_passes_are_fitted_by_default() -> None:
    whole = object()
    assert encoder_window.FITTED_UP_TO_SECONDS == 0
    assert fitted_window(whole, 5.0) is whole  # a first pass: the full 30 s window
    view = fitted_window(whole, 5.0, second_pass=True)
    assert isinstance(view, FittedWindowModel) and view.frames == 700
    assert fitted_window(whole, 28.5, second_pass=True) is whole  # the window would be full anyway


def test_a_full_window_or_a_long_batch_leaves_the_model_as_it_is(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(encoder_window, "FITTED_UP_TO_SECONDS", 12.0)
    whole = object()
    assert fitted_window(whole, 29.0) is whole
    assert fitted_window(whole, 15.0) is whole  # past FITTED_UP_TO_SECONDS: the full 30 s window
    view = fitted_window(whole, 5.0)
    assert isinstance(view, FittedWindowModel) and view.frames == 700


def _encoded_frames(model: Any, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Records the mel frames of every encoder call of `model`."""
    seen: list[int] = []
    real = model.encode

    def encode(features: np.ndarray) -> Any:
        seen.append(int(features.shape[-1]))
        return real(features)

    monkeypatch.setattr(model, "encode", encode)
    return seen


def _bare(word: str) -> str:
    return word.strip().strip(".,;:!?").lower()


@pytest.mark.slow
@pytest.mark.parametrize(("clip", "seconds"), [("jfk.flac", 11.0), ("osr_us_000_0034_8k.wav", 3.5)])
def test_short_speech_gets_the_same_words_from_a_shorter_window(
    model: Any, monkeypatch: pytest.MonkeyPatch, clip: str, seconds: float
) -> None:
    """One chunk of speech (a short recording; a few seconds, as a second pass decodes): the encoder
    sees the speech and 2 s after it, not 30 s, and the words and their times are the full window's.
    Punctuation aside: on some CPUs the fitted window drops a comma (" you," -> " you"), one of the
    reasons fitted windows are off by default."""
    monkeypatch.setattr(encoder_window, "FITTED_UP_TO_SECONDS", 12.0)
    audio = decode.decode(DATA / clip)[: int(seconds * SR)]
    speech = SpeechMap.of(speech_regions(audio))
    frames = _encoded_frames(model, monkeypatch)
    fitted = decode_speech(model, audio, speech, KWARGS, batch_size=1, greedy_first=True)
    assert frames and max(frames) <= window_frames(speech.samples / SR) < 3000
    monkeypatch.setattr(chunk_decoder, "fitted_window", lambda whole, longest, second_pass=False: whole)
    frames.clear()
    full = decode_speech(model, audio, speech, KWARGS, batch_size=1, greedy_first=True)
    assert frames == [3000]
    assert [_bare(w.text) for w in fitted.words] == [_bare(w.text) for w in full.words]
    assert len(fitted.words) >= 3
    for a, b in zip(fitted.words, full.words, strict=True):
        assert abs(a.start - b.start) < 0.3 and abs(a.end - b.end) < 0.3


@pytest.mark.slow
def test_speech_a_first_pass_drops_is_decoded_again_in_a_window_fitted_to_it(
    model: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The default: the first pass sees 30 s; its last sentence, made to drop (as a batch without
    timestamp tokens sometimes does), is decoded again in a window of that sentence and 2 s, and its
    words are those a full window gives it."""
    recording = jfk_then_a_sentence()
    speech = SpeechMap.of(speech_regions(recording))
    last = speech.regions[-1]
    real = chunk_decoder._decode_batch

    def drops_the_last_region(whole: Any, batch: Any, kwargs: Any) -> Any:
        words, info = real(whole, batch, kwargs)
        if batch.kind == "first":
            return [w for w in words if w.end < last[0] / SR], info
        return words, info

    monkeypatch.setattr(chunk_decoder, "_decode_batch", drops_the_last_region)
    frames = _encoded_frames(model, monkeypatch)
    fitted = decode_speech(model, recording, speech, KWARGS, batch_size=1, greedy_first=True)
    assert fitted.redecoded == 1
    assert frames == [3000, window_frames((last[1] - last[0]) / SR)]
    monkeypatch.setattr(encoder_window, "SECOND_PASS_FITTED_UP_TO_SECONDS", 0.0)
    frames.clear()
    full = decode_speech(model, recording, speech, KWARGS, batch_size=1, greedy_first=True)
    assert frames == [3000, 3000]
    again = [_bare(w.text) for w in fitted.words if w.start >= last[0] / SR - 0.5]
    assert again == [_bare(w.text) for w in full.words if w.start >= last[0] / SR - 0.5]
    assert "gold" in again and "ring" in again
    assert [_bare(w.text) for w in fitted.words] == [_bare(w.text) for w in full.words]
