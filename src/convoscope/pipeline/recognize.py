"""The speech part of an audio/video job: one call from a media file to timed sentences.

`process_media` probes, decodes, transcribes (each channel on its own when asked), lets an optional
diarization step label the words, segments them into sentences and moves everything by
`time_offset` (an append continues the conversation's timeline).

Long media is processed in windows (10 minutes by default) cut at the quietest moment near each
window's end, so memory stays flat whatever the length of the recording: one window of decoded
audio is alive at a time (two while the next is decoded), and Whisper's features are computed per
30 s chunk.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import structlog

from convoscope.pipeline import decode, isolated
from convoscope.pipeline.heap import release_free_memory
from convoscope.pipeline.segment import SegmentationOptions, segment_words, shift_sentences, shift_word
from convoscope.pipeline.speakers_ahead import Ahead, SpeakersAhead
from convoscope.pipeline.transcribe import TranscriptionOptions, transcribe
from convoscope.pipeline.types import Sentence, Word

if TYPE_CHECKING:
    from convoscope.pipeline.models.pool import ModelPool

log = structlog.get_logger(__name__)

# Labels the words of one mono window (times relative to that window) with speakers, e.g. diarization.
AssignSpeakers = Callable[[np.ndarray, list[Word]], list[Word]]


@dataclass(frozen=True)
class MediaLimits:
    """Refusal limits and the processing window, all in seconds."""

    max_duration: float = decode.DEFAULT_MAX_DURATION  # of audio transcribed: x channels when split
    max_channels: int = decode.DEFAULT_MAX_CHANNELS
    decode_timeout: float = decode.DEFAULT_DECODE_TIMEOUT  # time spent decoding, not transcribing
    isolated: bool = True  # decode in a child process (`pipeline.isolated`): a crash costs this file only
    window: float = 600.0
    quiet_search: float = 20.0  # how far back from a window's end to look for a quiet cut


@dataclass(frozen=True)
class AudioResult:
    """What a media job produces: sentences on the conversation timeline (offset applied)."""

    sentences: tuple[Sentence, ...]
    duration: float  # seconds of media, without the offset
    channels: int  # channels in the media
    language: str
    options: TranscriptionOptions = field(default_factory=TranscriptionOptions)
    timings: dict[str, float] = field(default_factory=dict)  # seconds per step: the job's profile


def _quiet_cut(audio: np.ndarray, search_samples: int, frame: int = decode.SAMPLE_RATE // 10) -> int:
    """Index to cut `audio` (channels, n) at: the middle of the quietest frame near its end."""
    n = audio.shape[1]
    lo = max(0, n - search_samples)
    tail = np.abs(audio[:, lo:]).sum(axis=0)
    frames = tail.shape[0] // frame
    if frames < 2:
        return n
    energy = tail[: frames * frame].reshape(frames, frame).sum(axis=1)
    return lo + int(np.argmin(energy)) * frame + frame // 2


def iter_windows(path: Path, split_channels: bool, limits: MediaLimits) -> Iterator[tuple[float, np.ndarray]]:
    """Yield (start seconds, audio (channels, n)) windows covering the file, cut at quiet points
    (`windows_of` the file's decoded blocks)."""
    frames = isolated.iter_frames if limits.isolated else decode.iter_frames
    blocks = frames(
        path,
        split_channels=split_channels,
        timeout=limits.decode_timeout,
        max_duration=limits.max_duration,
        max_channels=limits.max_channels,
    )
    return windows_of(blocks, split_channels, limits)


def windows_of(
    blocks: Iterator[np.ndarray], split_channels: bool, limits: MediaLimits
) -> Iterator[tuple[float, np.ndarray]]:
    """Yield (start seconds, audio (channels, n)) windows of decoded `blocks`, cut at quiet points.

    One window of decoded audio is alive at a time (two while the next is decoded): the tail
    after a cut is copied, so it does not keep the window it came from, and a block shorter than
    a window is known to be the file's last without decoding ahead.
    """
    size = int(limits.window * decode.SAMPLE_RATE)
    chunks = decode.chunked(blocks, limits.window, split_channels=split_channels)
    start = 0
    carry: np.ndarray | None = None
    for chunk in chunks:
        block = np.atleast_2d(chunk)
        last = block.shape[1] < size
        buf = block if carry is None else np.concatenate([carry, block], axis=1)
        del chunk, block, carry
        if last:
            yield start / decode.SAMPLE_RATE, buf
            return
        cut = _quiet_cut(buf, int(limits.quiet_search * decode.SAMPLE_RATE))
        carry = buf[:, cut:].copy()
        window = buf[:, :cut]
        del buf
        yield start / decode.SAMPLE_RATE, window
        del window
        start += cut
    if carry is not None and carry.shape[1]:  # the file ended exactly at a block boundary
        yield start / decode.SAMPLE_RATE, carry


def probe_media(path: Path, limits: MediaLimits) -> decode.MediaInfo:
    """`decode.probe` with the limits (in a child process unless `limits.isolated` is off)."""
    probe = isolated.probe if limits.isolated else decode.probe
    return probe(path, max_duration=limits.max_duration, max_channels=limits.max_channels)


@contextmanager
def probed_frames(
    path: Path, separate_channels: bool, limits: MediaLimits
) -> Iterator[tuple[decode.MediaInfo, Iterator[np.ndarray]]]:
    """The file's `MediaInfo` and its decoded blocks (channels split when `separate_channels` and it
    has several), both from one child process unless `limits.isolated` is off."""
    if limits.isolated:
        with isolated.probed_frames(
            path,
            separate_channels=separate_channels,
            timeout=limits.decode_timeout,
            max_duration=limits.max_duration,
            max_channels=limits.max_channels,
        ) as probed:
            yield probed
        return
    yield decode.probed_frames(
        path,
        separate_channels=separate_channels,
        timeout=limits.decode_timeout,
        max_duration=limits.max_duration,
        max_channels=limits.max_channels,
    )


def _ahead(assign_speakers: AssignSpeakers | None, mono: np.ndarray | None) -> Ahead[object] | None:
    """Speakers to find on a core the decoder leaves idle (`speakers_ahead`), where the callback can."""
    if mono is None or not isinstance(assign_speakers, SpeakersAhead) or not assign_speakers.ahead:
        return None
    return Ahead(assign_speakers.find, mono)


def process_media(
    path: str | Path,
    options: TranscriptionOptions,
    pool: ModelPool,
    time_offset: float = 0.0,
    *,
    limits: MediaLimits = MediaLimits(),
    segmentation: SegmentationOptions | None = None,
    assign_speakers: AssignSpeakers | None = None,
) -> AudioResult:
    """Media file -> sentences. Raises `decode.MediaError` (bad media), `weights.ModelError`,
    `transcribe.UnsupportedLanguageError`; never anything else for bad input.

    `assign_speakers` (diarization) is called per window with the mono audio and that window's words
    (times relative to the window) and returns them with `speaker` set. One that is `SpeakersAhead`
    finds the speakers on a core the decoder leaves idle, before the window's words are all found;
    the `speakers` timing is then what is left of it once transcription has ended.
    """
    path = Path(path)
    started = time.monotonic()
    timings = {"probe": 0.0, "decode": 0.0, "transcribe": 0.0, "speakers": 0.0, "segment": 0.0}
    words: list[Word] = []
    languages: dict[str, float] = {}
    seconds = 0.0
    with probed_frames(path, options.separate_channels, limits) as (info, blocks):
        model = pool.get(options.model)
        one_stream = pool.one_stream(options.model, greedy=options.batched and options.greedy_first)
        if not options.batch_size:  # the pool knows the threads per stream that decide it
            options = replace(options, batch_size=pool.batch_size(options.model))
        timings["probe"] = time.monotonic() - started
        split = options.separate_channels and info.channels > 1
        windows = windows_of(blocks, split, limits)
        while True:
            mark = time.monotonic()
            item = next(windows, None)
            timings["decode"] += time.monotonic() - mark
            if item is None:
                break
            start, audio = item
            seconds = start + audio.shape[1] / decode.SAMPLE_RATE
            window_words: list[Word] = []
            mono = (
                None if assign_speakers is None else audio[0] if audio.shape[0] == 1 else audio.mean(axis=0)
            )
            ahead = _ahead(assign_speakers, mono)
            mark = time.monotonic()
            try:
                for channel in range(audio.shape[0]):
                    last = channel == audio.shape[0] - 1  # speakers found while the last one ends
                    result = transcribe(
                        model,
                        audio[channel],
                        options,
                        channel=channel,
                        one_stream=one_stream,
                        when_idle=ahead.start if ahead is not None and last else None,
                    )
                    window_words.extend(result.words)
                    languages[result.language] = languages.get(result.language, 0.0) + result.speech_duration
            except BaseException:
                if ahead is not None:
                    ahead.wait()  # no diarization left running behind a failed job
                raise
            timings["transcribe"] += time.monotonic() - mark
            if assign_speakers is not None and mono is not None:
                mark = time.monotonic()  # with `ahead`: only what is left once transcription ends
                if ahead is not None and isinstance(assign_speakers, SpeakersAhead):
                    window_words = assign_speakers.label(ahead.result(), mono, window_words)
                else:
                    window_words = assign_speakers(mono, window_words)
                timings["speakers"] += time.monotonic() - mark
            words.extend(shift_word(w, start) for w in window_words)
            del audio, item
            release_free_memory()  # keeps RSS flat over long recordings (see `heap`)
            log.info("asr.media.window", start_seconds=round(start, 3), words=len(window_words))
    mark = time.monotonic()
    sentences = shift_sentences(segment_words(words, segmentation), time_offset)
    timings["segment"] = time.monotonic() - mark
    timings["total"] = time.monotonic() - started
    language = max(languages, key=lambda k: languages[k]) if languages else (options.language or "en")
    log.info(
        "asr.media.processed",
        path=path.name,
        audio_seconds=round(seconds, 3),
        channels=info.channels,
        separate_channels=split,
        sentences=len(sentences),
        words=len(words),
        **{f"{k}_seconds": round(v, 3) for k, v in timings.items()},
    )
    return AudioResult(
        sentences=tuple(sentences),
        duration=seconds,
        channels=info.channels,
        language=language,
        options=options,
        timings=timings,
    )
