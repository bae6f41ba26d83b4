"""Speech to text with faster-whisper: 16 kHz float32 audio in, `Word`s with times out.

VAD (Silero, inside faster-whisper) is on by default, word timestamps always. With VAD, the audio is
cut at silences into one part per decoding stream of the model (`speech_split`), the parts are
decoded side by side with batched inference, and speech the batched pass left without words is
decoded again, each region as a window of its own. `customVocabulary`
becomes faster-whisper's `hotwords` (a prompt the decoder is conditioned on). Symbl's `languageCode`
maps to a Whisper language through `language_from_code`, which raises on codes Symbl does not list,
so the API can answer 400 before any work is queued.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, TypeVar

import numpy as np
import structlog

from convoscope.pipeline.media import SAMPLE_RATE
from convoscope.pipeline.speech_split import speech_regions, split_for_streams, uncovered_regions
from convoscope.pipeline.types import Word

if TYPE_CHECKING:
    from faster_whisper import WhisperModel

log = structlog.get_logger(__name__)

_Item = TypeVar("_Item")
_Result = TypeVar("_Result")

# Symbl's 20 languageCode values (api-contract §3.2) and the Whisper language each one selects.
SYMBL_LANGUAGES: dict[str, str] = {
    "en-US": "en",
    "en-GB": "en",
    "en-AU": "en",
    "en-IE": "en",
    "en-IN": "en",
    "en-ZA": "en",
    "ru-RU": "ru",
    "fr-CA": "fr",
    "fr-FR": "fr",
    "de-DE": "de",
    "it-IT": "it",
    "nl-NL": "nl",
    "ja-JP": "ja",
    "es-US": "es",
    "es-ES": "es",
    "ar-SA": "ar",
    "hi-IN": "hi",
    "pt-BR": "pt",
    "pt-PT": "pt",
    "fa-IR": "fa",
}
DEFAULT_LANGUAGE_CODE = "en-US"


class UnsupportedLanguageError(ValueError):
    """A `languageCode` Symbl does not support, or a language the loaded model cannot recognise."""


def language_from_code(code: str | None) -> str:
    """Map a Symbl `languageCode` (BCP-47, case-insensitive, `_` accepted) to a Whisper language.

    None or an empty string means the default, en-US. Raises `UnsupportedLanguageError` otherwise.
    """
    if code is None or not code.strip():
        code = DEFAULT_LANGUAGE_CODE
    wanted = code.strip().replace("_", "-").lower()
    for symbl, whisper in SYMBL_LANGUAGES.items():
        if symbl.lower() == wanted:
            return whisper
    raise UnsupportedLanguageError(
        f"languageCode {code!r} is not supported; use one of: {', '.join(SYMBL_LANGUAGES)}"
    )


@dataclass(frozen=True)
class TranscriptionOptions:
    """How to recognise speech; kept with the result.

    `language` is a Whisper code (`en`) or None to detect it. `mode="phone"` marks 8 kHz telephone
    audio (decoding already resamples it; recognition settings are the same, see the tests' WER).
    `batched` uses faster-whisper's `BatchedInferencePipeline` over VAD speech segments, which was
    measured faster on a 2-core CPU at the same WER (see bench/asr); it needs VAD, so with `vad=False`
    the sequential decoder is used.
    """

    model: str | None = None  # None: the pool's default model
    language: str | None = "en"
    beam_size: int = 5
    vad: bool = True
    hotwords: tuple[str, ...] = ()
    initial_prompt: str | None = None
    mode: Literal["default", "phone"] = "default"
    separate_channels: bool = False
    batched: bool = True
    batch_size: int = 8

    @classmethod
    def from_symbl(
        cls,
        *,
        language_code: str | None = None,
        custom_vocabulary: Sequence[str] = (),
        mode: str | None = None,
        separate_channels: bool = False,
        **kwargs: Any,
    ) -> TranscriptionOptions:
        """Build options from Symbl request parameters (raises `UnsupportedLanguageError`, `ValueError`)."""
        if mode not in (None, "", "default", "phone"):
            raise ValueError(f"mode {mode!r} is not supported; use 'default' or 'phone'")
        return cls(
            language=language_from_code(language_code),
            hotwords=tuple(w.strip() for w in custom_vocabulary if w and w.strip()),
            mode="phone" if mode == "phone" else "default",
            separate_channels=separate_channels,
            **kwargs,
        )

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


def _words(segments: Iterable[Any], channel: int, offset: float) -> list[Word]:
    words: list[Word] = []
    for segment in segments:
        for w in segment.words or ():
            text = w.word
            if not text.strip():
                continue
            start = max(0.0, float(w.start)) + offset
            end = max(start, float(w.end) + offset)
            words.append(
                Word(text=text, start=start, end=end, probability=float(w.probability), channel=channel)
            )
    return words


def _decode_regions(
    model: WhisperModel,
    audio: np.ndarray,
    regions: list[tuple[int, int]],
    batch_size: int,
    kwargs: dict[str, Any],
) -> list[Any]:
    """Segments for speech regions (sample ranges) decoded again, each as a window of its own.

    Away from the 30 s window it was batched in, a region the batched pass dropped is decoded whole.
    The regions are shared among the model's streams, each stream decoding its share as one batch
    (`clip_timestamps`: no VAD, times on the timeline of `audio`).
    """
    from faster_whisper import BatchedInferencePipeline

    streams = min(decoder_streams(model), len(regions))
    shares = [regions[i::streams] for i in range(streams)]

    def decode(share: list[tuple[int, int]]) -> list[Any]:
        clips = [{"start": start / SAMPLE_RATE, "end": end / SAMPLE_RATE} for start, end in share]
        pipeline = BatchedInferencePipeline(model)
        segments, _info = pipeline.transcribe(audio, batch_size=batch_size, clip_timestamps=clips, **kwargs)
        return list(segments)

    return [segment for segments in _side_by_side(decode, shares) for segment in segments]


def _words_of_parts(
    parts: list[tuple[int, int]], results: list[tuple[list[Any], Any]], channel: int, offset: float
) -> list[Word]:
    return [
        word
        for (first, _end), (segments, _info) in zip(parts, results, strict=True)
        for word in _words(segments, channel, offset + first / SAMPLE_RATE)
    ]


def decoder_streams(model: WhisperModel) -> int:
    """How many batches the model decodes at once (CTranslate2 workers; see `models.cpu_layout`)."""
    return max(1, int(getattr(model.model, "num_workers", 1)))


def _decode_parts(
    model: WhisperModel,
    audio: np.ndarray,
    parts: list[tuple[int, int]],
    batch_size: int,
    kwargs: dict[str, Any],
) -> list[tuple[list[Any], Any]]:
    """Batched inference over each part, the parts at once (one thread per model worker).

    Each part gets its own pipeline (it keeps per-recording state for word timestamps); the model
    is shared.
    """
    from faster_whisper import BatchedInferencePipeline

    def decode(part: tuple[int, int]) -> tuple[list[Any], Any]:
        pipeline = BatchedInferencePipeline(model)
        segments, info = pipeline.transcribe(audio[part[0] : part[1]], batch_size=batch_size, **kwargs)
        return list(segments), info  # segments is a generator: the work happens here

    return _side_by_side(decode, parts)


def _side_by_side(work: Callable[[_Item], _Result], items: list[_Item]) -> list[_Result]:
    """`work` over `items`, one thread each (the model's streams run them at once), results in order.

    CTranslate2 releases the GIL while it computes, so the threads really overlap.
    """
    if len(items) == 1:
        return [work(items[0])]
    with ThreadPoolExecutor(len(items), thread_name_prefix="asr-stream") as executor:
        return list(executor.map(work, items))


def transcribe(
    model: WhisperModel,
    audio: np.ndarray,
    options: TranscriptionOptions = TranscriptionOptions(),
    *,
    channel: int = 0,
    offset: float = 0.0,
    one_stream: Callable[[], WhisperModel] | None = None,
) -> Transcription:
    """Recognise one channel of 16 kHz float32 audio; word times are `offset` + seconds into `audio`.

    `one_stream` loads the model as a single stream on every core (`ModelPool.one_stream`): audio
    with too little speech to share among the streams of `model` is decoded with it instead.
    """
    if audio.ndim != 1:
        raise ValueError(f"transcribe takes one channel (1-D audio), got shape {audio.shape}")
    language = options.language
    if language not in (None, "en") and not model.model.is_multilingual:
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
    }
    started = time.monotonic()
    recovered = 0
    if options.batched and options.vad:

        def decoder_for(pieces: int) -> WhisperModel:
            """One piece of work would leave all but one of `model`'s streams idle."""
            return one_stream() if one_stream is not None and pieces == 1 else model

        regions = speech_regions(audio)
        parts = split_for_streams(audio, decoder_streams(model), regions)
        results = _decode_parts(decoder_for(len(parts)), audio, parts, options.batch_size, kwargs)
        words = _words_of_parts(parts, results, channel, offset)
        spans = [(w.start - offset, w.end - offset) for w in words]
        missed = uncovered_regions(regions, spans)
        if missed:
            again = _decode_regions(decoder_for(len(missed)), audio, missed, options.batch_size, kwargs)
            words = sorted([*words, *_words(again, channel, offset)], key=lambda w: w.start)
            recovered = len(missed)
    else:
        segments, info = model.transcribe(audio, **kwargs)
        parts, results = [(0, audio.shape[0])], [(list(segments), info)]
        words = _words_of_parts(parts, results, channel, offset)
    speech_duration = sum(float(info.duration_after_vad) for _segments, info in results)
    # The part with the most speech decides the language when it was detected, not given.
    info = max((info for _segments, info in results), key=lambda i: float(i.duration_after_vad))
    took = time.monotonic() - started
    log.info(
        "asr.transcribed",
        channel=channel,
        audio_seconds=round(duration, 3),
        speech_seconds=round(speech_duration, 3),
        words=len(words),
        language=info.language,
        batched=options.batched and options.vad,
        parts=len(parts),
        recovered_regions=recovered,
        seconds=round(took, 3),
        rtf=round(took / duration, 4),
    )
    return Transcription(
        words=tuple(words),
        language=info.language,
        language_probability=float(info.language_probability),
        duration=duration,
        speech_duration=speech_duration,
        options=options,
    )
