"""The decoding streams of one model working through the chunks of a recording, from one queue.

On a CPU the model is loaded as several single-threaded CTranslate2 workers ("streams",
`models.device.cpu_layout`): small matrix products scale badly across threads, so two one-thread
decoders finish sooner than one decoder on two threads. The chunks (`speech_chunks.chunk_bounds`)
are grouped into batches (up to 4 chunks on int8, 8 on float32: `models.device.batch_size_for`),
and each stream takes the next batch from one queue (`batch_queue`) as soon as it is free, so a
stream that drew easier chunks takes over work instead of waiting for the other. A batch is decoded
with faster-whisper's `BatchedInferencePipeline` (one search for all its chunks, whose encoder runs
one chunk at a time on the CPU, `encoder_rows`; no timestamp tokens, word times from the
cross-attention alignment); a second pass's encoder
window is fitted to its speech (`encoder_window`: a few seconds decoded again no longer cost a 30 s
window; first passes keep the full window, which real calls need); with `greedy_first`
the search is greedy, and only chunks whose greedy result fails Whisper's checks get the beam
(`greedy_first`).

Batched decoding without timestamps sometimes ends a window early and drops the rest of it. After
each batch, the speech of its chunks that got no words is laid end to end into new chunks, which go
to the front of the queue and are decoded once more by whichever stream is free.

Those drops are at the end of a chunk: on the benchmark recordings, every chunk that dropped speech
lost its last region (the counts are in `bench/README.md`). A stream that would wait with nothing
to take before any first-pass batch has ended (a recording with fewer chunks than streams: the one
chunk of a short recording, above all) decodes a batch in flight's tail meanwhile: the last region
of each chunk, without the rest, as a second pass would. If the batch drops it, the tail's words
are there without a second pass; a tail nobody needs cost only a core that would have idled.
"""

from __future__ import annotations

import functools
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import structlog

from convoscope.pipeline.batch_queue import BatchQueue
from convoscope.pipeline.decode import SAMPLE_RATE
from convoscope.pipeline.encoder_rows import encoder_rows
from convoscope.pipeline.encoder_window import fitted_window
from convoscope.pipeline.greedy_first import GreedyFirstModel
from convoscope.pipeline.speech_batches import (
    Batch,
    dropped_regions,
    group_into_batches,
    redecode_batches,
    tail_batch,
    words_within,
)
from convoscope.pipeline.speech_chunks import Region, SpeechMap, chunk_bounds
from convoscope.pipeline.types import Word

if TYPE_CHECKING:
    from faster_whisper import WhisperModel

log = structlog.get_logger(__name__)


def decoder_streams(model: WhisperModel) -> int:
    """How many batches the model decodes at once (CTranslate2 workers; see `models.device.cpu_layout`)."""
    return max(1, int(getattr(model.model, "num_workers", 1)))


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
    beam_chunks: int = 0  # chunks whose greedy result was replaced by the beam search's


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


def _decode_batch(model: WhisperModel, batch: Batch, kwargs: dict[str, Any]) -> tuple[list[Word], Any]:
    """The words of one batch on the recording's timeline, and faster-whisper's info about it."""
    from faster_whisper import BatchedInferencePipeline

    clips = [{"start": lo / SAMPLE_RATE, "end": hi / SAMPLE_RATE} for lo, hi in batch.chunks]
    longest = max(hi - lo for lo, hi in batch.chunks) / SAMPLE_RATE
    # Per call: the pipeline keeps per-recording state. The encoder sees only the batch's speech, a
    # chunk at a time.
    window = fitted_window(model, longest, second_pass=batch.kind == "again")
    pipeline = BatchedInferencePipeline(encoder_rows(window))
    segments, info = pipeline.transcribe(batch.joined, batch_size=len(clips), clip_timestamps=clips, **kwargs)
    words = []
    for word in words_of(segments):  # the generator does the work here
        start, end = batch.speech.to_recording(word.start, word.end)
        words.append(Word(word.text, start, end, word.probability))
    return words, info


@dataclass(frozen=True)
class _BatchOutcome:
    """One decoded batch and the work it leaves."""

    words: list[Word]
    info: Any  # faster-whisper's TranscriptionInfo
    tail: Batch | None  # the batch's tail, where an idle stream took it
    dropped: list[Region]  # regions left without words and worth a second pass
    filled_by_tail: list[Region]  # dropped regions (short ones too) that take the tail's words
    again: list[Batch]  # the second pass of the dropped regions the tail does not fill


class SpeechDecoding:
    """One run of `decode_speech`: the streams, the queue they share and the words they find.

    Each stream decodes batches from the queue (`_run_stream`). A first pass or second pass keeps
    its words as they come; a tail's words are kept aside, and only those in the dropped regions
    they fill join the others once every stream has finished.
    """

    def __init__(
        self,
        model: WhisperModel,
        audio: np.ndarray,
        speech: SpeechMap,
        kwargs: dict[str, Any],
        *,
        batch_size: int,
        streams: int,
        greedy_first: bool = False,
        when_idle: Callable[[], None] | None = None,
    ) -> None:
        # Greedy first: what every batch is decoded by; the beam search only where it looks wrong.
        self._greedy = GreedyFirstModel(model) if greedy_first else None
        self.model: Any = self._greedy or model
        self.audio = audio
        self.kwargs = kwargs
        self.batch_size = batch_size
        self.streams = streams
        chunks = chunk_bounds(speech, streams)
        first_pass = group_into_batches(speech, speech.join(audio), chunks, streams, batch_size)
        # Not a bound method: the queue would then hold `self` in a cycle, and each window's audio and
        # joined speech would wait for the cyclic collector (in a long job: several windows' worth).
        self._queue = BatchQueue(first_pass, functools.partial(tail_batch, audio=audio), when_idle)
        self._lock = threading.Lock()  # guards what the streams find, below
        self._words: list[Word] = []
        self._infos: list[Any] = []
        self._tail_words: dict[Batch, list[Word]] = {}
        self._filled: list[tuple[Batch, list[Region]]] = []  # (tail, the dropped regions it fills)
        self._redecoded = 0
        self._errors: list[BaseException] = []

    def run(self) -> DecodedSpeech:
        """Decode on `streams` streams, this thread one of them; raise the first error of any.

        CTranslate2 releases the GIL while it computes, so the streams really run at once.
        """
        threads = [
            threading.Thread(target=self._run_stream, name=f"asr-stream-{i}") for i in range(1, self.streams)
        ]
        for thread in threads:
            thread.start()
        self._run_stream()
        for thread in threads:
            thread.join()
        if self._errors:
            raise self._errors[0]
        return self._result()

    def _run_stream(self) -> None:
        """Decode batches until the queue is empty; a failure stops every stream."""
        while (batch := self._queue.take()) is not None:
            try:
                started = time.monotonic()
                outcome = self._decode(batch)
            except BaseException as error:
                self._errors.append(error)
                self._queue.fail()
                return
            self._log(batch, outcome, time.monotonic() - started)
            self._keep(batch, outcome)
            self._queue.done(outcome.again)

    def _decode(self, batch: Batch) -> _BatchOutcome:
        """Decode `batch`, then find the speech it dropped: what its tail fills, and a second pass
        for the rest."""
        words, info = _decode_batch(self.model, batch, self.kwargs)
        tail = self._queue.finished(batch)
        dropped = dropped_regions(batch, words)
        filled = self._filled_by_tail(batch, words, tail)
        again = redecode_batches([r for r in dropped if r not in filled], self.audio, self.batch_size)
        return _BatchOutcome(words, info, tail, dropped, filled, again)

    @staticmethod
    def _filled_by_tail(batch: Batch, words: list[Word], tail: Batch | None) -> list[Region]:
        """The dropped regions of `batch` that its tail decoded, and that take the tail's words."""
        if tail is None:
            return []
        # Regions under a second take the tail's words too: no second pass to spare.
        in_tail = set(tail.speech.regions)
        return [r for r in dropped_regions(batch, words, min_seconds=0.0) if r in in_tail]

    def _log(self, batch: Batch, outcome: _BatchOutcome, seconds: float) -> None:
        log.debug(
            "asr.batch.decoded",
            stream=threading.current_thread().name,
            kind=batch.kind,
            chunks=len(batch.chunks),
            words=len(outcome.words),
            dropped_regions=len(set(outcome.dropped) | set(outcome.filled_by_tail)),
            dropped_chunks=sum(len(b.chunks) for b in outcome.again),
            seconds=round(seconds, 3),
        )

    def _keep(self, batch: Batch, outcome: _BatchOutcome) -> None:
        """Keep what `batch` found: a tail's words aside until the end, any other batch's at once."""
        with self._lock:
            if batch.kind == "tail":
                self._tail_words[batch] = outcome.words
            else:
                self._words.extend(outcome.words)
                self._infos.append(outcome.info)
                self._redecoded += len(batch.chunks) if batch.kind == "again" else 0
            if outcome.tail is not None and outcome.filled_by_tail:
                self._filled.append((outcome.tail, outcome.filled_by_tail))

    def _result(self) -> DecodedSpeech:
        """All the words, a tail's in the regions it fills among them (every tail is decoded by now)."""
        words = list(self._words)
        for tail, regions in self._filled:
            words.extend(words_within(self._tail_words[tail], regions))
        words.sort(key=lambda w: w.start)
        # With the language left to detection, the batch with the most speech decides it.
        main = max(self._infos, key=lambda i: float(i.duration_after_vad)) if self._infos else None
        return DecodedSpeech(
            words=words,
            language=main.language if main else str(self.kwargs.get("language") or "en"),
            language_probability=float(main.language_probability) if main else 0.0,
            batches=len(self._infos),
            redecoded=self._redecoded,
            tails=len(self._tail_words),
            from_tails=sum(len(regions) for _, regions in self._filled),
            beam_chunks=self._greedy.counts.beam if self._greedy else 0,
        )


def decode_speech(
    model: WhisperModel,
    audio: np.ndarray,
    speech: SpeechMap,
    kwargs: dict[str, Any],
    *,
    batch_size: int,
    streams: int | None = None,
    greedy_first: bool = False,
    when_idle: Callable[[], None] | None = None,
) -> DecodedSpeech:
    """Decode the speech of `audio` (`speech`, its regions) on the streams of `model`.

    `kwargs` are faster-whisper transcribe options (language, beam size, hotwords...). `streams`
    defaults to the model's workers. `greedy_first` decodes greedily and uses the beam search only
    for the chunks whose greedy result fails faster-whisper's checks (`greedy_first`). `when_idle`
    is called once a stream has nothing left to take (`BatchQueue`).
    """
    streams = streams or decoder_streams(model)
    decoding = SpeechDecoding(
        model,
        audio,
        speech,
        kwargs,
        batch_size=batch_size,
        streams=streams,
        greedy_first=greedy_first,
        when_idle=when_idle,
    )
    return decoding.run()
