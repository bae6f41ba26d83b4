"""The streams of one model decoding a recording's chunks from one queue, dropped speech again."""

from __future__ import annotations

import gc
import threading
import weakref
from typing import Any

import numpy as np
import pytest

from convoscope.pipeline import chunk_decoder, decode
from convoscope.pipeline.batch_queue import BatchQueue
from convoscope.pipeline.chunk_decoder import decode_speech, decoder_streams
from convoscope.pipeline.models.pool import ModelPool
from convoscope.pipeline.speech_batches import Batch, dropped_regions, group_into_batches, tail_batch
from convoscope.pipeline.speech_chunks import SpeechMap, speech_regions
from convoscope.pipeline.types import Word
from tests.fixtures.media import jfk_then_a_sentence
from tests.fixtures.paths import SHARED_DATA as DATA

SR = decode.SAMPLE_RATE
KWARGS = {"language": "en", "beam_size": 5, "word_timestamps": True}


@pytest.fixture(scope="module")
def conversation() -> np.ndarray:
    """About 80 s: jfk, conv2_harvard and the 8 kHz read sentences, one second of silence between."""
    gap = np.zeros(SR, dtype=np.float32)
    names = ("jfk.flac", "conv2_harvard.wav", "osr_us_000_0034_8k.wav")
    clips = [decode.decode(DATA / name) for name in names]
    return np.concatenate([clips[0], gap, clips[1], gap, clips[2]])


@pytest.fixture(scope="module")
def two_streams(speech_pool: ModelPool) -> Any:
    return ModelPool(speech_pool.models_dir, streams=2, cpu_threads=1).get("tiny.en")


def text(words: list[Any]) -> str:
    return " ".join("".join(w.text for w in words).lower().split())


def test_chunks_are_dealt_in_equal_batches_at_least_one_per_stream() -> None:
    speech = SpeechMap.of([])
    joined = np.zeros(0, np.float32)
    chunks = [(i, i + 1) for i in range(10)]
    sizes = [len(b.chunks) for b in group_into_batches(speech, joined, chunks, streams=2, batch_size=8)]
    assert sizes == [5, 5]  # not 8 and 2
    assert [len(b.chunks) for b in group_into_batches(speech, joined, chunks, 2, batch_size=4)] == [
        3,
        3,
        2,
        2,
    ]
    assert [len(b.chunks) for b in group_into_batches(speech, joined, chunks, 2, batch_size=1)] == [1] * 10
    twenty = [(i, i + 1) for i in range(20)]  # 6 batches, 3 a stream, not 5 of 4 (one stream left alone)
    assert [len(b.chunks) for b in group_into_batches(speech, joined, twenty, 2, 4)] == [4, 4, 3, 3, 3, 3]
    assert [len(b.chunks) for b in group_into_batches(speech, joined, chunks[:1], 4, batch_size=8)] == [1]
    assert group_into_batches(speech, joined, [], 2, 8) == []
    batches = group_into_batches(speech, joined, chunks, 3, 8)
    assert [c for b in batches for c in b.chunks] == chunks  # in order, none lost


def test_the_queue_waits_for_busy_streams_and_puts_dropped_speech_first() -> None:
    speech, joined = SpeechMap.of([]), np.zeros(0, np.float32)
    first, second, again = (Batch(speech, joined, ((i, i + 1),)) for i in range(3))
    queue = BatchQueue([first, second])
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


def test_the_first_stream_left_with_nothing_to_take_says_so_once() -> None:
    speech, joined = SpeechMap.of([]), np.zeros(0, np.float32)
    first, second, again = (Batch(speech, joined, ((i, i + 1),)) for i in range(3))
    idle: list[str] = []
    queue = BatchQueue([first, second], when_idle=lambda: idle.append(threading.current_thread().name))
    assert queue.take() is first and queue.take() is second
    assert idle == []  # both streams had work
    waiter = threading.Thread(target=queue.take, name="stream-2")
    waiter.start()
    waiter.join(0.2)
    assert idle == ["stream-2"]  # it waits for the two batches in flight: a core is free
    queue.done([again])
    waiter.join(5)
    later = threading.Thread(target=queue.take)
    later.start()
    later.join(0.2)
    assert idle == ["stream-2"]  # once only
    queue.done([])
    queue.done([])
    later.join(5)
    assert not later.is_alive()


def test_a_chunks_tail_is_its_last_region_when_that_is_at_most_half_of_it() -> None:
    audio = np.zeros(60 * SR, np.float32)
    speech = SpeechMap.of([(0, 8 * SR), (9 * SR, 12 * SR), (20 * SR, 30 * SR), (31 * SR, 33 * SR)])
    two = Batch(speech, speech.join(audio), ((0, 11 * SR), (11 * SR, 23 * SR)))
    tail = tail_batch(two, audio)
    assert tail is not None and tail.kind == "tail"
    assert tail.speech.regions == ((9 * SR, 12 * SR), (31 * SR, 33 * SR))  # each chunk's last region
    assert tail.chunks == ((0, 5 * SR),) and tail.joined.shape[0] == 5 * SR  # laid end to end
    # A last region over half its chunk, or a chunk of one region: nothing to decode on the side.
    assert tail_batch(Batch(speech, speech.join(audio), ((8 * SR, 21 * SR),)), audio) is None
    assert tail_batch(Batch(speech, speech.join(audio), ((0, 8 * SR),)), audio) is None


def test_an_idle_stream_takes_a_tail_only_before_any_first_pass_has_ended() -> None:
    speech, joined = SpeechMap.of([]), np.zeros(0, np.float32)
    first, second, third = (Batch(speech, joined, ((i, i + 1),)) for i in range(3))
    tails = {b: Batch(speech, joined, b.chunks, "tail") for b in (first, second, third)}
    queue = BatchQueue([first, second], tails.get)
    assert queue.take() is first
    assert queue.take() is second
    assert queue.take() is tails[second]  # nothing pending: the latest-started batch's tail
    assert queue.take() is tails[first]
    assert queue.finished(tails[second]) is None
    queue.done([])
    assert queue.finished(first) is tails[first]
    queue.done([third])
    assert queue.take() is third
    taken: list[Batch | None] = []
    waiter = threading.Thread(target=lambda: taken.append(queue.take()))
    waiter.start()
    waiter.join(0.2)
    # `third` may be nearly done by now: no tail for it, the idle stream waits instead.
    assert waiter.is_alive() and not taken
    assert queue.finished(third) is None and queue.finished(second) is tails[second]
    for _ in range(3):
        queue.done([])
    waiter.join(5)
    assert taken == [None]


def test_a_blip_under_a_second_is_dropped_only_where_a_tail_has_its_words() -> None:
    audio = np.zeros(20 * SR, np.float32)
    speech = SpeechMap.of([(0, 8 * SR), (9 * SR, int(9.6 * SR))])
    batch = Batch(speech, speech.join(audio), ((0, speech.samples),))
    words = [Word(" hello", 1.0, 1.5, 0.9), Word(" there", 6.0, 7.5, 0.9)]
    assert dropped_regions(batch, words) == []  # not worth a second pass
    assert dropped_regions(batch, words, min_seconds=0.0) == [(9 * SR, int(9.6 * SR))]
    again = Batch(speech, speech.join(audio), batch.chunks, "again")
    assert dropped_regions(again, [], min_seconds=0.0) == []  # decoded twice already


def test_a_lone_stream_never_decodes_tails() -> None:
    speech, joined = SpeechMap.of([]), np.zeros(0, np.float32)
    only = Batch(speech, joined, ((0, 1),))
    queue = BatchQueue([only], lambda batch: Batch(speech, joined, batch.chunks, "tail"))
    assert queue.take() is only
    queue.done([])
    assert queue.take() is None


@pytest.mark.slow
def test_two_streams_decode_the_same_words_on_the_recording_timeline(
    conversation: np.ndarray, two_streams: Any, speech_pool: ModelPool
) -> None:
    one = ModelPool(speech_pool.models_dir, streams=1, cpu_threads=1).get("tiny.en")
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


@pytest.mark.slow
def test_a_decoding_lets_its_audio_go_as_it_returns(conversation: np.ndarray, two_streams: Any) -> None:
    """No reference cycle keeps a decoding (its audio, its batches' joined speech) after it: left to
    Python's cyclic collector, a long job's windows piled up in the worker until a full collection."""
    audio = conversation.copy()
    speech = SpeechMap.of(speech_regions(audio))
    alive = weakref.ref(audio)
    gc.disable()  # reference counting alone, as between a job's windows
    try:
        decoded = decode_speech(two_streams, audio, speech, KWARGS, batch_size=4, greedy_first=True)
        del audio
        assert alive() is None
    finally:
        gc.enable()
    assert "ask not what your country can do for you" in text(decoded.words)


@pytest.mark.slow
def test_batches_of_several_chunks_find_the_words_of_one_chunk_batches(
    conversation: np.ndarray, two_streams: Any
) -> None:
    """Greedy first on int8 streams decodes several chunks a batch (`batch_size_for`: 4 by default,
    each encoded apart): the same words, at the same times, as one chunk a batch."""
    speech = SpeechMap.of(speech_regions(conversation))
    one = decode_speech(two_streams, conversation, speech, KWARGS, batch_size=1, greedy_first=True)
    four = decode_speech(two_streams, conversation, speech, KWARGS, batch_size=4, greedy_first=True)
    assert four.batches < one.batches
    assert "ask not what your country can do for you" in text(four.words)
    assert text(four.words) == text(one.words)
    assert all(abs(a.start - b.start) < 0.1 for a, b in zip(four.words, one.words, strict=True))


@pytest.mark.slow
def test_speech_a_batch_drops_is_decoded_again(
    conversation: np.ndarray, two_streams: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first pass is made to end early (as it does on some crosstalk); the words come back."""
    real = chunk_decoder._decode_batch
    again: list[Batch] = []

    def ends_early(model: Any, batch: Batch, kwargs: Any) -> Any:
        words, info = real(model, batch, kwargs)
        if batch.kind != "first":
            again.extend([batch] if batch.kind == "again" else [])
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


@pytest.mark.slow
def test_a_short_recordings_dropped_last_region_takes_the_words_of_its_tail(
    two_streams: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One chunk: the second stream decodes its last region meanwhile, so a drop there costs nothing."""
    recording = jfk_then_a_sentence()
    speech = SpeechMap.of(speech_regions(recording))
    last = speech.regions[-1]
    real = chunk_decoder._decode_batch
    kinds: list[str] = []

    def drops_the_last_region(model: Any, batch: Batch, kwargs: Any) -> Any:
        kinds.append(batch.kind)
        words, info = real(model, batch, kwargs)
        if batch.kind == "first":
            return [w for w in words if w.end < last[0] / SR], info
        return words, info

    whole = decode_speech(two_streams, recording, speech, KWARGS, batch_size=1)
    with monkeypatch.context() as patched:
        patched.setattr(chunk_decoder, "tail_batch", lambda batch, audio: None)
        alone = decode_speech(two_streams, recording, speech, KWARGS, batch_size=1)
    # Undropped, the tail's words are not used: the same words as the first pass alone finds.
    assert (whole.tails, whole.from_tails, alone.tails) == (1, 0, 0)
    assert [w.text for w in alone.words] == [w.text for w in whole.words]
    monkeypatch.setattr(chunk_decoder, "_decode_batch", drops_the_last_region)
    result = decode_speech(two_streams, recording, speech, KWARGS, batch_size=1)
    assert sorted(kinds) == ["first", "tail"]  # no second pass
    assert (result.tails, result.from_tails, result.redecoded) == (1, 1, 0)
    found = text(result.words)
    assert "ask not what your country can do for you" in found and "gold ring" in found
    assert all(last[0] / SR - 0.5 <= w.start for w in result.words if "gold" in w.text.lower())


@pytest.mark.slow
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


@pytest.mark.slow
def test_silence_decodes_to_nothing(two_streams: Any) -> None:
    quiet = np.zeros(10 * SR, dtype=np.float32)
    speech = SpeechMap.of(speech_regions(quiet))
    result = decode_speech(two_streams, quiet, speech, KWARGS, batch_size=1)
    assert result.words == [] and result.batches == 0 and result.language == "en"
