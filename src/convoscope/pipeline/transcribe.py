"""Speech to text with faster-whisper: 16 kHz float32 audio in, `Word`s with times out.

VAD (Silero, inside faster-whisper) is on by default, word timestamps always. With VAD, the speech
is found once, cut into 30 s chunks (`speech_chunks`) and decoded in batches by the model's streams
from one queue (`chunk_decoder`), speech a batch left without words decoded once more. Audio with a
single chunk of speech goes to the model loaded as one stream on every core, and when that speech
is short (`one_window`) it is decoded sequentially with timestamp tokens, which keeps its end.
`hotwords` (a job's custom vocabulary) become faster-whisper's `hotwords`, a prompt the decoder is
conditioned on.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import structlog

from convoscope.pipeline.chunk_decoder import DecodedSpeech, decode_speech, decoder_streams, words_of
from convoscope.pipeline.decode import SAMPLE_RATE
from convoscope.pipeline.models.device import batch_size_for, default_cpu_threads
from convoscope.pipeline.one_window import decode_one_window, fits_one_window
from convoscope.pipeline.speech_chunks import SpeechMap, chunk_bounds, speech_regions
from convoscope.pipeline.types import Word

if TYPE_CHECKING:
    from faster_whisper import WhisperModel

log = structlog.get_logger(__name__)


class UnsupportedLanguageError(ValueError):
    """A language the loaded model cannot recognise (an English-only model asked for another)."""


@dataclass(frozen=True)
class TranscriptionOptions:
    """How to recognise speech; kept with the result.

    `language` is a Whisper code (`en`) or None to detect it. `task="translate"` gives English text
    whatever the language spoken (Whisper's translation; a multilingual model only). `temperature`
    None is faster-whisper's fallback schedule (0.0, then higher while a decode looks wrong); a tuple
    is another schedule. `mode="phone"` marks 8 kHz telephone
    audio (decoding already resamples it; recognition settings are the same, see the tests' WER).
    `batched` uses faster-whisper's `BatchedInferencePipeline` over VAD speech segments, which was
    measured faster on a 2-core CPU at the same WER (see bench/asr); it needs VAD, so with `vad=False`
    the sequential decoder is used. `greedy_first` (batched only): chunks are decoded greedily, and
    with `beam_size` only where the greedy result fails Whisper's log-probability or compression
    checks (`greedy_first`; same WER on the reference clips, figures in `bench/README.md`).
    """

    model: str | None = None  # None: the pool's default model
    language: str | None = "en"
    beam_size: int = 5
    vad: bool = True
    hotwords: tuple[str, ...] = ()
    initial_prompt: str | None = None
    task: Literal["transcribe", "translate"] = "transcribe"
    temperature: tuple[float, ...] | None = None
    mode: Literal["default", "phone"] = "default"
    separate_channels: bool = False
    batched: bool = True
    batch_size: int = 0  # chunks per batch; 0: what suits the model (`models.batch_size_for`)
    greedy_first: bool = True  # batched: the beam search only where greedy fails (`greedy_first`)

    @property
    def hotwords_text(self) -> str | None:
        return ", ".join(self.hotwords) if self.hotwords else None


@dataclass(frozen=True)
class Transcription:
    """The words of one channel, with what the model found about the audio."""

    words: tuple[Word, ...]
    language: str
    language_probability: float
    duration: float  # seconds of audio given
    speech_duration: float  # seconds left after VAD
    options: TranscriptionOptions = field(default_factory=TranscriptionOptions)


def default_batch_size(model: WhisperModel) -> int:
    """`device.batch_size_for` a loaded model whose streams share every core (`process_media` asks
    the pool instead, which knows the threads per stream)."""
    threads = max(1, default_cpu_threads() // decoder_streams(model))
    return batch_size_for(model.model.device, str(model.model.compute_type), threads)


def _decode_batched(
    model: WhisperModel,
    audio: np.ndarray,
    options: TranscriptionOptions,
    kwargs: dict[str, Any],
    one_stream: Callable[[], WhisperModel] | None,
    when_idle: Callable[[], None] | None = None,
) -> tuple[DecodedSpeech, SpeechMap]:
    """VAD once, then the speech decoded in chunks by the streams of `model` (or the one-stream copy),
    or, when it is short enough for one window, sequentially (`one_window`)."""
    streams = decoder_streams(model)
    speech = SpeechMap.of(speech_regions(audio, threads=streams))
    decoder = model
    if one_stream is not None and len(chunk_bounds(speech, streams)) == 1:
        decoder = one_stream()  # one chunk would leave all but one of `model`'s streams idle
    if fits_one_window(speech, streams):  # short speech: sequential, which keeps its end
        decoded = decode_one_window(decoder, audio, speech, kwargs, greedy_first=options.greedy_first)
        return decoded, speech
    batch_size = options.batch_size or default_batch_size(decoder)
    decoded = decode_speech(
        decoder,
        audio,
        speech,
        kwargs,
        batch_size=batch_size,
        greedy_first=options.greedy_first,
        when_idle=when_idle,
    )
    return decoded, speech


def transcribe(
    model: WhisperModel,
    audio: np.ndarray,
    options: TranscriptionOptions = TranscriptionOptions(),
    *,
    channel: int = 0,
    offset: float = 0.0,
    one_stream: Callable[[], WhisperModel] | None = None,
    when_idle: Callable[[], None] | None = None,
) -> Transcription:
    """Recognise one channel of 16 kHz float32 audio; word times are `offset` + seconds into `audio`.

    `one_stream` loads the model as a single stream on every core (`ModelPool.one_stream`): audio
    with too little speech to share among the streams of `model` is decoded with it instead.
    `when_idle` is called once a decoding stream has nothing left to take (several streams only).
    """
    if audio.ndim != 1:
        raise ValueError(f"transcribe takes one channel (1-D audio), got shape {audio.shape}")
    language = options.language
    if not model.model.is_multilingual:
        if options.task == "translate":
            raise UnsupportedLanguageError(
                "the speech model is English-only; translation needs a multilingual model such as base"
            )
        if language not in (None, "en"):
            raise UnsupportedLanguageError(
                f"the configured speech model is English-only; it cannot recognise {language!r}"
            )
    duration = audio.shape[0] / SAMPLE_RATE
    if duration < 0.05:  # shorter than a Whisper frame: nothing to recognise
        return Transcription((), language or "en", 0.0, duration, 0.0, options)
    kwargs: dict[str, Any] = {
        "language": language,
        "beam_size": options.beam_size,
        "word_timestamps": True,
        "vad_filter": options.vad,
        "hotwords": options.hotwords_text,
        "initial_prompt": options.initial_prompt,
        "task": options.task,
    }
    if options.temperature is not None:
        kwargs["temperature"] = list(options.temperature)
    started = time.monotonic()
    if options.batched and options.vad:
        decoded, speech = _decode_batched(model, audio, options, kwargs, one_stream, when_idle)
        words = [
            replace(w, start=w.start + offset, end=w.end + offset, channel=channel) for w in decoded.words
        ]
        language, probability = decoded.language, decoded.language_probability
        speech_duration = speech.samples / SAMPLE_RATE
        detail = {
            "batches": decoded.batches,
            "redecoded": decoded.redecoded,
            "tails": decoded.tails,
            "from_tails": decoded.from_tails,
            "beam_chunks": decoded.beam_chunks,
        }
    else:
        segments, info = model.transcribe(audio, **kwargs)
        words = words_of(segments, channel, offset)
        language, probability = info.language, float(info.language_probability)
        speech_duration = float(info.duration_after_vad)
        detail = {}
    took = time.monotonic() - started
    log.info(
        "asr.transcribed",
        channel=channel,
        audio_seconds=round(duration, 3),
        speech_seconds=round(speech_duration, 3),
        words=len(words),
        language=language,
        batched=options.batched and options.vad,
        **detail,
        seconds=round(took, 3),
        rtf=round(took / duration, 4),
    )
    return Transcription(
        words=tuple(words),
        language=language,
        language_probability=probability,
        duration=duration,
        speech_duration=speech_duration,
        options=options,
    )
