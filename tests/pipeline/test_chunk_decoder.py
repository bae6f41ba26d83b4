"""The streams of one model decoding a recording's chunks from one queue, dropped speech again."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from convoscope.pipeline import chunk_decoder, media
from convoscope.pipeline.chunk_decoder import Batch, _Queue, deal, decode_speech, decoder_streams
from convoscope.pipeline.models import ModelPool
from convoscope.pipeline.speech_chunks import SpeechMap, speech_regions
from tests.pipeline.test_models import shared_pool

DATA = Path(__file__).resolve().parents[3] / "shared" / "data"
SR = media.SAMPLE_RATE
KWARGS = {"language": "en", "beam_size": 5, "word_timestamps": True}


@pytest.fixture(scope="module")
def conversation() -> np.ndarray:
    """About 80 s: jfk, conv2_harvard and the 8 kHz read sentences, one second of silence between."""
    gap = np.zeros(SR, dtype=np.float32)
    names = ("jfk.flac", "conv2_harvard.wav", "osr_us_000_0034_8k.wav")
    clips = [media.decode(DATA / name) for name in names]
    return np.concatenate([clips[0], gap, clips[1], gap, clips[2]])


@pytest.fixture(scope="module")
def two_streams() -> Any:
    return ModelPool(shared_pool().models_dir, streams=2, cpu_threads=1).get("tiny.en")


def text(words: list[Any]) -> str:
    return " ".join("".join(w.text for w in words).lower().split())


def test_chunks_are_dealt_in_equal_batches_at_least_one_per_stream() -> None:
    speech = SpeechMap.of([])
    joined = np.zeros(0, np.float32)
    chunks = [(i, i + 1) for i in range(10)]
    sizes = [len(b.chunks) for b in deal(speech, joined, chunks, streams=2, batch_size=8)]
    assert sizes == [5, 5]  # not 8 and 2
    assert [len(b.chunks) for b in deal(speech, joined, chunks, 2, batch_size=4)] == [4, 3, 3]
    assert [len(b.chunks) for b in deal(speech, joined, chunks, 2, batch_size=1)] == [1] * 10
    assert [len(b.chunks) for b in deal(speech, joined, chunks[:1], 4, batch_size=8)] == [1]
    assert deal(speech, joined, [], 2, 8) == []
    batches = deal(speech, joined, chunks, 3, 8)
    assert [c for b in batches for c in b.chunks] == chunks  # in order, none lost


def test_the_queue_waits_for_busy_streams_and_puts_dropped_speech_first() -> None:
    speech, joined = SpeechMap.of([]), np.zeros(0, np.float32)
    first, second, again = (Batch(speech, joined, ((i, i + 1),)) for i in range(3))
    queue = _Queue([first, second])
    assert queue.take() is first
    assert queue.take() is second
    taken: list[Batch | None] = []
    waiter = threading.Thread(target=lambda: taken.append(queue.take()))
    waiter.start()
    waiter.join(0.2)
    assert waiter.is_alive()  # nothing pending, but two batches are still being decoded
    queue.done([again])
    waiter.join(5)
    assert taken == [again]
    queue.done([])
    queue.done([])
    assert queue.take() is None  # nothing pending, nobody busy


def test_two_streams_decode_the_same_words_on_the_recording_timeline(
    conversation: np.ndarray, two_streams: Any
) -> None:
    one = ModelPool(shared_pool().models_dir, streams=1, cpu_threads=1).get("tiny.en")
    assert (decoder_streams(one), decoder_streams(two_streams)) == (1, 2)
    speech = SpeechMap.of(speech_regions(conversation))
    serial = decode_speech(one, conversation, speech, KWARGS, batch_size=1)
    parallel = decode_speech(two_streams, conversation, speech, KWARGS, batch_size=1)
    assert "ask not what your country can do for you" in text(parallel.words)
    assert abs(len(parallel.words) - len(serial.words)) <= 0.05 * len(serial.words)
    assert parallel.batches >= 4 and parallel.language == "en"  # 80 s: 4 chunks for 2 streams
    starts = [w.start for w in parallel.words]
    assert starts == sorted(starts)
    duration = conversation.shape[0] / SR
    assert starts[0] >= 0.0 and parallel.words[-1].end <= duration
    assert parallel.words[-1].end > duration - 10  # the last chunk's words are on the same timeline
    # Every word lies in (or within a word's length of) the speech VAD found: silences were removed.
    assert all(any(a / SR - 0.5 <= w.start <= b / SR for a, b in speech.regions) for w in parallel.words)


def test_speech_a_batch_drops_is_decoded_again(
    conversation: np.ndarray, two_streams: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first pass is made to end early (as it does on some crosstalk); the words come back."""
    real = chunk_decoder._decode_batch
    again: list[Batch] = []

    def ends_early(model: Any, batch: Batch, kwargs: Any) -> Any:
        words, info = real(model, batch, kwargs)
        if batch.again:
            again.append(batch)
            return words, info
        return [w for w in words if w.end < 45.0], info

    monkeypatch.setattr(chunk_decoder, "_decode_batch", ends_early)
    speech = SpeechMap.of(speech_regions(conversation))
    result = decode_speech(two_streams, conversation, speech, KWARGS, batch_size=1)
    found = text(result.words)
    assert "ask not what your country can do for you" in found  # kept from the first pass
    assert "gold ring" in found and "come quickly" in found  # the 8 kHz sentences, decoded again
    assert again and result.redecoded == sum(len(b.chunks) for b in again)
    # The dropped runs of one batch are packed into as few chunks as fit: one encoder pass each.
    assert all(hi - lo <= 30 * SR for b in again for lo, hi in b.chunks)
    starts = [w.start for w in result.words]
    assert starts == sorted(starts) and result.words[-1].end > 60.0


def test_a_failing_stream_fails_the_call_without_hanging(
    conversation: np.ndarray, two_streams: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []
    real = chunk_decoder._decode_batch

    def fails_once(model: Any, batch: Batch, kwargs: Any) -> Any:
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("decoder broke")
        return real(model, batch, kwargs)

    monkeypatch.setattr(chunk_decoder, "_decode_batch", fails_once)
    speech = SpeechMap.of(speech_regions(conversation))
    with pytest.raises(RuntimeError, match="decoder broke"):
        decode_speech(two_streams, conversation, speech, KWARGS, batch_size=1)
    assert len(calls) < 5  # the other stream stopped taking work


def test_silence_decodes_to_nothing(two_streams: Any) -> None:
    quiet = np.zeros(10 * SR, dtype=np.float32)
    speech = SpeechMap.of(speech_regions(quiet))
    result = decode_speech(two_streams, quiet, speech, KWARGS, batch_size=1)
    assert result.words == [] and result.batches == 0 and result.language == "en"
