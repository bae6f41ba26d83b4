"""Cutting a recording into parts with equal speech for parallel decoders, and decoding them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from convoscope.pipeline import media
from convoscope.pipeline import transcribe as transcribe_module
from convoscope.pipeline.models import ModelPool
from convoscope.pipeline.speech_split import (
    balanced_cuts,
    speech_regions,
    split_for_streams,
    uncovered_regions,
)
from convoscope.pipeline.transcribe import TranscriptionOptions, decoder_streams, transcribe
from tests.pipeline.test_models import shared_pool

DATA = Path(__file__).resolve().parents[3] / "shared" / "data"
SR = media.SAMPLE_RATE


@pytest.fixture(scope="module")
def conversation() -> np.ndarray:
    """About 80 s: jfk, conv2_harvard and the 8 kHz read sentences, one second of silence between."""
    gap = np.zeros(SR, dtype=np.float32)
    names = ("jfk.flac", "conv2_harvard.wav", "osr_us_000_0034_8k.wav")
    clips = [media.decode(DATA / name) for name in names]
    return np.concatenate([clips[0], gap, clips[1], gap, clips[2]])


def test_cuts_fall_between_regions_and_share_the_speech() -> None:
    regions = [(0, 100), (200, 300), (400, 500), (600, 700)]
    assert balanced_cuts(regions, 2) == [350]
    assert balanced_cuts(regions, 4) == [150, 350, 550]
    uneven = [(0, 300), (400, 500), (600, 700), (800, 900)]
    assert balanced_cuts(uneven, 2) == [350]  # 300 | 300 of speech


def test_no_cut_without_a_gap_or_a_second_part() -> None:
    assert balanced_cuts([(0, 1000)], 2) == []
    assert balanced_cuts([(0, 100), (200, 300)], 1) == []
    assert balanced_cuts([], 3) == []
    assert balanced_cuts([(0, 100), (200, 300)], 4) == [150]  # never more cuts than gaps


def test_split_cuts_the_conversation_in_silence(conversation: np.ndarray) -> None:
    parts = split_for_streams(conversation, 2)
    assert len(parts) == 2
    assert parts[0][0] == 0 and parts[-1][1] == conversation.shape[0] and parts[0][1] == parts[1][0]
    cut = parts[0][1]
    assert not any(start < cut < end for start, end in speech_regions(conversation))
    regions = speech_regions(conversation)
    speech = [sum(max(0, min(end, hi) - max(start, lo)) for start, end in regions) for lo, hi in parts]
    assert min(speech) / max(speech) > 0.6  # balanced, within what the gaps allow


def test_short_speech_or_one_stream_is_not_split(conversation: np.ndarray) -> None:
    assert split_for_streams(conversation, 1) == [(0, conversation.shape[0])]
    jfk = media.decode(DATA / "jfk.flac")  # about 10 s of speech: not enough for two decoders
    assert split_for_streams(jfk, 2) == [(0, jfk.shape[0])]


def test_two_streams_transcribe_the_same_words_with_conversation_times(conversation: np.ndarray) -> None:
    one = ModelPool(shared_pool().models_dir, streams=1).get("tiny.en")
    two = ModelPool(shared_pool().models_dir, streams=2, cpu_threads=1).get("tiny.en")
    assert (decoder_streams(one), decoder_streams(two)) == (1, 2)
    serial = transcribe(one, conversation, TranscriptionOptions(), offset=5.0)
    parallel = transcribe(two, conversation, TranscriptionOptions(), offset=5.0)

    def text(result: object) -> list[str]:
        return "".join(w.text for w in result.words).lower().split()  # type: ignore[attr-defined]

    assert "ask not what your country can do for you" in " ".join(text(parallel))
    assert abs(len(text(parallel)) - len(text(serial))) <= 0.05 * len(text(serial))
    starts = [w.start for w in parallel.words]
    assert starts == sorted(starts)
    duration = conversation.shape[0] / SR
    assert starts[0] >= 5.0 and parallel.words[-1].end <= 5.0 + duration
    assert parallel.words[-1].end > 5.0 + duration - 10  # the second part's words are on the same timeline
    assert parallel.speech_duration == pytest.approx(serial.speech_duration, rel=0.1)


def test_audio_too_short_to_split_goes_to_the_one_stream_model(conversation: np.ndarray) -> None:
    two = ModelPool(shared_pool().models_dir, streams=2, cpu_threads=1).get("tiny.en")
    one = ModelPool(shared_pool().models_dir, streams=1, cpu_threads=2).get("tiny.en")
    loads: list[int] = []

    def one_stream() -> Any:
        loads.append(1)
        return one

    jfk = media.decode(DATA / "jfk.flac")
    short = transcribe(two, jfk, TranscriptionOptions(), one_stream=one_stream)
    assert loads == [1]
    assert "ask not what your country can do for you" in "".join(w.text for w in short.words).lower()
    assert [w.text for w in short.words] == [w.text for w in transcribe(one, jfk).words]
    loads.clear()
    transcribe(two, conversation, TranscriptionOptions(), one_stream=one_stream)
    assert len(loads) <= 1  # the parts go to the streams; at most one dropped region goes to `one`


def test_uncovered_regions_are_speech_without_words() -> None:
    second = SR  # samples
    regions = [(0, 4 * second), (5 * second, 9 * second), (int(9.2 * second), 12 * second)]
    regions.append((13 * second, int(13.5 * second)))
    words = [(0.5, 1.0), (1.2, 3.8)]  # only the first region has words
    # The next two regions are empty and 0.2 s apart: joined. The last is too short to matter.
    assert uncovered_regions(regions, words) == [(5 * second, 12 * second)]
    assert uncovered_regions(regions, [(0.5, 3.8), (5.0, 12.0)]) == []
    assert uncovered_regions(regions, [(0.5, 3.8), (5.0, 5.3), (9.3, 11.9)]) == [(5 * second, 9 * second)]


def test_speech_the_batched_decoder_drops_is_decoded_again(
    conversation: np.ndarray, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The batched pass is made to end early (as it does on some crosstalk); the words come back."""
    model = ModelPool(shared_pool().models_dir, streams=1).get("tiny.en")
    real = transcribe_module._decode_parts

    def ends_early(model: Any, audio: np.ndarray, parts: Any, batch_size: int, kwargs: Any) -> Any:
        results = real(model, audio, parts, batch_size, kwargs)
        if not batch_size:
            return results
        return [([s for s in segments if s.end < 45.0], info) for segments, info in results]

    monkeypatch.setattr(transcribe_module, "_decode_parts", ends_early)
    result = transcribe(model, conversation, TranscriptionOptions())
    text = " ".join("".join(w.text for w in result.words).lower().split())
    assert "ask not what your country can do for you" in text  # kept from the batched pass
    assert "gold ring" in text and "come quickly" in text  # the 8 kHz sentences, decoded again
    starts = [w.start for w in result.words]
    assert starts == sorted(starts) and result.words[-1].end > 60.0
