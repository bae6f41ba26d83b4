"""The decoding streams of one model working through the chunks of a recording, from one queue.

On a CPU the model is loaded as several single-threaded CTranslate2 workers ("streams",
`models.cpu_layout`): small matrix products scale badly across threads, so two one-thread decoders
finish sooner than one decoder on two threads. The chunks (`speech_chunks.chunk_bounds`) are dealt
into batches (one chunk each on int8, up to 8 on float32: `models.batch_size_for`), and each
stream takes the next batch from one queue as soon as it is free, so a stream that drew easier
chunks takes over work instead of waiting for the other. A batch is decoded with faster-whisper's
`BatchedInferencePipeline` (one encoder pass and one beam search for all its chunks, no timestamp
tokens, word times from the cross-attention alignment).

Batched decoding without timestamps sometimes ends a window early and drops the rest of it. After
each batch, the speech of its chunks that got no words is laid end to end into new chunks, which go
to the front of the queue and are decoded once more by whichever stream is free.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import structlog

from convoscope.pipeline.media import SAMPLE_RATE
from convoscope.pipeline.speech_chunks import Region, SpeechMap, chunk_bounds, uncovered_regions
from convoscope.pipeline.types import Word

if TYPE_CHECKING:
    from faster_whisper import WhisperModel

log = structlog.get_logger(__name__)


def decoder_streams(model: WhisperModel) -> int:
    """How many batches the model decodes at once (CTranslate2 workers; see `models.cpu_layout`)."""
    return max(1, int(getattr(model.model, "num_workers", 1)))


@dataclass(frozen=True, eq=False)
class Batch:
    """Chunks decoded together: (start, end) samples of `joined`, the speech that `speech` maps.

    `again` marks speech a first pass dropped (decoded once more at most).
    """

    speech: SpeechMap
    joined: np.ndarray  # speech.join(recording), shared by the batches of one map
    chunks: tuple[Region, ...]
    again: bool = False


@dataclass(frozen=True)
class DecodedSpeech:
    """Words on the recording's timeline (channel 0, no offset) and what the decoder found."""

    words: list[Word]
    language: str
    language_probability: float
    batches: int
    redecoded: int  # chunks of dropped speech decoded again


def words_of(segments: Iterable[Any], channel: int = 0, offset: float = 0.0) -> list[Word]:
    """faster-whisper segments -> `Word`s (blank words left out), `offset` seconds added."""
    words: list[Word] = []
    for segment in segments:
        for w in segment.words or ():
            if not w.word.strip():
                continue
            start = max(0.0, float(w.start)) + offset
            end = max(start, float(w.end) + offset)
            words.append(
                Word(text=w.word, start=start, end=end, probability=float(w.probability), channel=channel)
            )
    return words


def deal(
    speech: SpeechMap,
    joined: np.ndarray,
    chunks: list[Region],
    streams: int,
    batch_size: int,
    *,
    again: bool = False,
) -> list[Batch]:
    """Consecutive chunks in batches of at most `batch_size`, at least one batch per stream.

    The batches have equal sizes (within one chunk), so the last ones are not the small ones.
    """
    if not chunks:
        return []
    count = min(len(chunks), max(streams, math.ceil(len(chunks) / batch_size)))
    size, extra = divmod(len(chunks), count)
    batches, at = [], 0
    for i in range(count):
        take = size + (1 if i < extra else 0)
        batches.append(Batch(speech, joined, tuple(chunks[at : at + take]), again))
        at += take
    return batches


class _Queue:
    """Batches waiting for a stream; `take` waits while a stream that may add work is still busy."""

    def __init__(self, batches: list[Batch]) -> None:
        self._pending = deque(batches)
        self._busy = 0
        self._failed = False
        self._changed = threading.Condition()

    def take(self) -> Batch | None:
        with self._changed:
            while not self._failed:
                if self._pending:
                    self._busy += 1
                    return self._pending.popleft()
                if not self._busy:
                    return None
                self._changed.wait()
            return None

    def done(self, again: list[Batch]) -> None:
        """A stream finished a batch; `again` (dropped speech) goes first, so it is not left for last."""
        with self._changed:
            self._busy -= 1
            self._pending.extendleft(reversed(again))
            self._changed.notify_all()

    def fail(self) -> None:
        with self._changed:
            self._failed = True
            self._changed.notify_all()


def _decode_batch(model: WhisperModel, batch: Batch, kwargs: dict[str, Any]) -> tuple[list[Word], Any]:
    from faster_whisper import BatchedInferencePipeline

    clips = [{"start": lo / SAMPLE_RATE, "end": hi / SAMPLE_RATE} for lo, hi in batch.chunks]
    pipeline = BatchedInferencePipeline(model)  # per call: it keeps per-recording state
    segments, info = pipeline.transcribe(batch.joined, batch_size=len(clips), clip_timestamps=clips, **kwargs)
    words = []
    for word in words_of(segments):  # the generator does the work here
        start, end = batch.speech.to_recording(word.start, word.end)
        words.append(Word(word.text, start, end, word.probability))
    return words, info


def _dropped(batch: Batch, words: list[Word], audio: np.ndarray, batch_size: int) -> list[Batch]:
    """The speech of a first-pass batch that got no words, packed into chunks to decode again.

    The dropped runs of a batch are laid end to end like any speech, so several short runs cost
    one encoder pass, not one each.
    """
    if batch.again:
        return []  # decoded twice already: what is still empty stays so
    spans = [(w.start, w.end) for w in words]
    speech = batch.speech
    runs = [run for lo, hi in batch.chunks for run in uncovered_regions(speech.regions_in(lo, hi), spans)]
    regions = [r for run in runs for r in speech.regions if run[0] <= r[0] and r[1] <= run[1]]
    if not regions:
        return []
    dropped = SpeechMap.of(regions)
    chunks = chunk_bounds(dropped)
    return deal(dropped, dropped.join(audio), chunks, 1, batch_size, again=True)


def decode_speech(
    model: WhisperModel,
    audio: np.ndarray,
    speech: SpeechMap,
    kwargs: dict[str, Any],
    *,
    batch_size: int,
    streams: int | None = None,
) -> DecodedSpeech:
    """Decode the speech of `audio` (`speech`, its regions) on the streams of `model`.

    `kwargs` are faster-whisper transcribe options (language, beam size, hotwords...). `streams`
    defaults to the model's workers. CTranslate2 releases the GIL while it computes, so the
    streams really run at once.
    """
    streams = streams or decoder_streams(model)
    chunks = chunk_bounds(speech, streams)
    queue = _Queue(deal(speech, speech.join(audio), chunks, streams, batch_size))
    words: list[Word] = []
    infos: list[Any] = []
    redecoded = [0]
    errors: list[BaseException] = []
    lock = threading.Lock()

    def stream() -> None:
        while (batch := queue.take()) is not None:
            try:
                started = time.monotonic()
                batch_words, info = _decode_batch(model, batch, kwargs)
                again = _dropped(batch, batch_words, audio, batch_size)
            except BaseException as error:
                errors.append(error)
                queue.fail()
                return
            log.debug(
                "asr.batch.decoded",
                stream=threading.current_thread().name,
                chunks=len(batch.chunks),
                again=batch.again,
                words=len(batch_words),
                dropped_chunks=sum(len(b.chunks) for b in again),
                seconds=round(time.monotonic() - started, 3),
            )
            with lock:
                words.extend(batch_words)
                infos.append(info)
                redecoded[0] += len(batch.chunks) if batch.again else 0
            queue.done(again)

    threads = [threading.Thread(target=stream, name=f"asr-stream-{i}") for i in range(1, streams)]
    for thread in threads:
        thread.start()
    stream()  # this thread is a stream too
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    words.sort(key=lambda w: w.start)
    # With the language left to detection, the batch with the most speech decides it.
    main = max(infos, key=lambda i: float(i.duration_after_vad)) if infos else None
    return DecodedSpeech(
        words=words,
        language=main.language if main else str(kwargs.get("language") or "en"),
        language_probability=float(main.language_probability) if main else 0.0,
        batches=len(infos),
        redecoded=redecoded[0],
    )
