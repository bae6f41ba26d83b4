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

Those drops are at the end of a chunk: on 10 minutes of dense and of paused speech, 4 chunks lost
5 regions, 3 of them exactly their last region, the fourth its last two. A stream that would wait
with nothing to take before any first-pass batch has ended (a recording with fewer chunks than
streams: the one chunk of a short recording, above all) decodes a batch in flight's tail
meanwhile: the last region of each chunk, without the rest, as a second pass would. If the batch
drops it, the tail's words are there without a second pass; a tail nobody needs cost only a core
that would have idled.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import structlog

from convoscope.pipeline.decode import SAMPLE_RATE
from convoscope.pipeline.speech_chunks import Region, SpeechMap, chunk_bounds, uncovered_regions
from convoscope.pipeline.types import Word

if TYPE_CHECKING:
    from faster_whisper import WhisperModel

log = structlog.get_logger(__name__)

# A chunk's last region makes a tail if it is at most this share of the chunk: a tail then costs
# at most about 0.7 of its batch (the encoder always sees 30 s; the beam search follows the words).
TAIL_SHARE = 0.5

BatchKind = Literal["first", "again", "tail"]


def decoder_streams(model: WhisperModel) -> int:
    """How many batches the model decodes at once (CTranslate2 workers; see `models.cpu_layout`)."""
    return max(1, int(getattr(model.model, "num_workers", 1)))


@dataclass(frozen=True, eq=False)
class Batch:
    """Chunks decoded together: (start, end) samples of `joined`, the speech that `speech` maps.

    `kind`: a first pass; speech a first pass dropped (`again`); the tail of a first-pass batch,
    decoded by an idle stream (`tail`). Only a first pass has its drops decoded again.
    """

    speech: SpeechMap
    joined: np.ndarray  # speech.join(recording), shared by the batches of one map
    chunks: tuple[Region, ...]
    kind: BatchKind = "first"


@dataclass(frozen=True)
class DecodedSpeech:
    """Words on the recording's timeline (channel 0, no offset) and what the decoder found."""

    words: list[Word]
    language: str
    language_probability: float
    batches: int  # first passes and speech decoded again
    redecoded: int  # chunks of dropped speech decoded again
    tails: int = 0  # tails decoded by idle streams
    from_tails: int = 0  # dropped regions given a tail's words


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
    kind: BatchKind = "first",
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
        batches.append(Batch(speech, joined, tuple(chunks[at : at + take]), kind))
        at += take
    return batches


class _Queue:
    """Batches waiting for a stream; `take` waits while a stream that may add work is still busy.

    With nothing pending before any first pass has ended, `take` hands out the tail of a
    first-pass batch in flight (built by `tail_of`). Later, a batch in flight may be nearly done,
    and a tail that outlasts it would make the recording wait (measured: a tail started 0.9 s into
    a 1.5 s batch ended 0.6 s after it).
    """

    def __init__(
        self, batches: list[Batch], tail_of: Callable[[Batch], Batch | None] = lambda batch: None
    ) -> None:
        self._pending = deque(batches)
        self._busy = 0
        self._failed = False
        self._changed = threading.Condition()
        self._tail_of = tail_of
        self._untailed: list[Batch] = []  # first-pass batches in flight, latest last
        self._tails: dict[Batch, Batch] = {}
        self._first_pass_ended = False

    def take(self) -> Batch | None:
        with self._changed:
            while not self._failed:
                if self._pending:
                    self._busy += 1
                    batch = self._pending.popleft()
                    if batch.kind == "first":
                        self._untailed.append(batch)
                    return batch
                if not self._busy:
                    return None
                if (tail := self._next_tail()) is not None:
                    self._busy += 1
                    return tail
                self._changed.wait()
            return None

    def _next_tail(self) -> Batch | None:
        while self._untailed and not self._first_pass_ended:
            batch = self._untailed.pop()  # the latest started: the furthest from its end
            if (tail := self._tail_of(batch)) is not None:
                self._tails[batch] = tail
                return tail
        return None

    def finished(self, batch: Batch) -> Batch | None:
        """`batch` is decoded (call before `done`): no tail starts from now on; its tail, if any."""
        with self._changed:
            if batch.kind == "first":
                self._first_pass_ended = True
            return self._tails.pop(batch, None)

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


def tail_of(batch: Batch, audio: np.ndarray) -> Batch | None:
    """The last speech region of each chunk of `batch` that has more than one, if at most
    `TAIL_SHARE` of the chunk; None when no chunk has such a region.

    The regions are laid end to end as a second pass lays dropped speech, without the rest of
    their chunks: decoded behind its chunk's other speech, a dropped region was dropped again.
    """
    regions: list[Region] = []
    for lo, hi in batch.chunks:
        inside = batch.speech.regions_in(lo, hi)
        last = inside[-1]
        if len(inside) > 1 and last[1] - last[0] <= TAIL_SHARE * (hi - lo):
            regions.append(last)
    if not regions:
        return None
    speech = SpeechMap.of(regions)
    return Batch(speech, speech.join(audio), tuple(chunk_bounds(speech)), "tail")


def _dropped_regions(batch: Batch, words: list[Word], *, min_seconds: float = 1.0) -> list[Region]:
    """The speech regions of a first-pass batch left without words (see `uncovered_regions`)."""
    if batch.kind != "first":
        return []  # decoded twice already: what is still empty stays so
    spans = [(w.start, w.end) for w in words]
    speech = batch.speech
    runs = [
        run
        for lo, hi in batch.chunks
        for run in uncovered_regions(speech.regions_in(lo, hi), spans, min_seconds=min_seconds)
    ]
    return [r for run in runs for r in speech.regions if run[0] <= r[0] and r[1] <= run[1]]


def _again(regions: list[Region], audio: np.ndarray, batch_size: int) -> list[Batch]:
    """Dropped regions packed into chunks to decode again.

    They are laid end to end like any speech, so several short runs cost one encoder pass, not
    one each.
    """
    if not regions:
        return []
    dropped = SpeechMap.of(regions)
    return deal(dropped, dropped.join(audio), chunk_bounds(dropped), 1, batch_size, kind="again")


def _words_in(words: list[Word], regions: list[Region]) -> list[Word]:
    """The words whose middle lies in one of `regions` (recording samples)."""
    spans = [(lo / SAMPLE_RATE, hi / SAMPLE_RATE) for lo, hi in regions]
    return [w for w in words if any(lo <= (w.start + w.end) / 2 <= hi for lo, hi in spans)]


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
    queue = _Queue(
        deal(speech, speech.join(audio), chunks, streams, batch_size), lambda batch: tail_of(batch, audio)
    )
    words: list[Word] = []
    infos: list[Any] = []
    tail_words: dict[Batch, list[Word]] = {}
    claims: list[tuple[Batch, list[Region]]] = []  # (tail, the dropped regions it fills)
    redecoded = [0]
    errors: list[BaseException] = []
    lock = threading.Lock()

    def stream() -> None:
        while (batch := queue.take()) is not None:
            try:
                started = time.monotonic()
                batch_words, info = _decode_batch(model, batch, kwargs)
                tail = queue.finished(batch)
                dropped = _dropped_regions(batch, batch_words)
                claimed: list[Region] = []
                if tail is not None:
                    # Regions under a second take the tail's words too: no second pass to spare.
                    in_tail = set(tail.speech.regions)
                    claimed = [
                        r for r in _dropped_regions(batch, batch_words, min_seconds=0.0) if r in in_tail
                    ]
                again = _again([r for r in dropped if r not in claimed], audio, batch_size)
            except BaseException as error:
                errors.append(error)
                queue.fail()
                return
            log.debug(
                "asr.batch.decoded",
                stream=threading.current_thread().name,
                kind=batch.kind,
                chunks=len(batch.chunks),
                words=len(batch_words),
                dropped_regions=len(set(dropped) | set(claimed)),
                dropped_chunks=sum(len(b.chunks) for b in again),
                seconds=round(time.monotonic() - started, 3),
            )
            with lock:
                if batch.kind == "tail":
                    tail_words[batch] = batch_words
                else:
                    words.extend(batch_words)
                    infos.append(info)
                    redecoded[0] += len(batch.chunks) if batch.kind == "again" else 0
                if tail is not None and claimed:
                    claims.append((tail, claimed))
            queue.done(again)

    threads = [threading.Thread(target=stream, name=f"asr-stream-{i}") for i in range(1, streams)]
    for thread in threads:
        thread.start()
    stream()  # this thread is a stream too
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    for tail, regions in claims:  # every tail is decoded by now
        words.extend(_words_in(tail_words[tail], regions))
    words.sort(key=lambda w: w.start)
    # With the language left to detection, the batch with the most speech decides it.
    main = max(infos, key=lambda i: float(i.duration_after_vad)) if infos else None
    return DecodedSpeech(
        words=words,
        language=main.language if main else str(kwargs.get("language") or "en"),
        language_probability=float(main.language_probability) if main else 0.0,
        batches=len(infos),
        redecoded=redecoded[0],
        tails=len(tail_words),
        from_tails=sum(len(regions) for _, regions in claims),
    )
