"""Probe and decode media files with PyAV (the FFmpeg libraries bundled in the `av` wheel).

Any container FFmpeg reads works: wav, mp3, flac, ogg/opus, m4a/aac, amr, aiff, wma, and the audio
track of mp4/mov/mkv/webm video. Audio comes out as 16 kHz float32, mixed to mono or one row per
channel. `probe` is cheap (it reads headers, and at most demuxes packets without decoding them) so the
API can refuse bad files at submit time; `decode` and `iter_chunks` stream frames through a resampler
into a preallocated buffer, so they never hold more than the result, and they stop at a deadline.

Errors form one small tree under `MediaError`; each carries a message meant for the user.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import structlog

if TYPE_CHECKING:
    import av.container

log = structlog.get_logger(__name__)

SAMPLE_RATE = 16_000
DEFAULT_MAX_DURATION = 4 * 3600.0
DEFAULT_DECODE_TIMEOUT = 600.0


class MediaError(Exception):
    """The media cannot be used. `str(error)` is a message for the user."""


class NotMediaError(MediaError):
    """The file is not a media container FFmpeg can read (text, empty, unknown bytes)."""


class NoAudioError(MediaError):
    """The container has no audio stream (for instance a video without sound)."""


class EmptyMediaError(MediaError):
    """The audio stream holds no samples."""


class CorruptMediaError(MediaError):
    """The audio is truncated or damaged so that little or none of it decodes."""


class MediaTooLongError(MediaError):
    """The media is longer than the configured limit."""


class DecodeTimeoutError(MediaError):
    """Decoding took longer than the configured limit."""


@dataclass(frozen=True)
class MediaInfo:
    """What `probe` learns from a file's headers; `duration` is in seconds."""

    duration: float
    channels: int
    sample_rate: int
    has_audio: bool
    format: str
    codec: str = ""


def _open(path: Path) -> av.container.InputContainer:
    import av

    if not path.is_file():
        raise NotMediaError(f"file not found: {path.name}")
    if path.stat().st_size == 0:
        raise NotMediaError("the file is empty")
    try:
        return av.open(str(path), mode="r", metadata_errors="ignore")
    except av.error.FFmpegError as error:
        raise NotMediaError(
            f"not a readable audio or video file, or a damaged one ({_reason(error)})"
        ) from error


def _reason(error: Exception) -> str:
    strerror = getattr(error, "strerror", None)
    return str(strerror or error).strip() or type(error).__name__


def _stream_duration(container: av.container.InputContainer) -> float | None:
    stream = container.streams.audio[0]
    if stream.duration is not None and stream.time_base is not None:
        return float(stream.duration * stream.time_base)
    if container.duration is not None:
        return container.duration / 1_000_000  # av.time_base is microseconds
    return None


def _demuxed_duration(container: av.container.InputContainer) -> float:
    """Duration from packet timestamps, for containers whose headers do not say (raw AMR, some ADTS)."""
    stream = container.streams.audio[0]
    end = 0.0
    for packet in container.demux(stream):
        if packet.pts is not None and packet.time_base is not None:
            end = max(end, float((packet.pts + (packet.duration or 0)) * packet.time_base))
    return end


def probe(path: str | Path, *, max_duration: float | None = DEFAULT_MAX_DURATION) -> MediaInfo:
    """Read a file's headers. Raises `MediaError` for non-media, no audio, zero length or too long.

    The duration comes from the headers; when they do not give one, packets are demuxed (not decoded),
    which is still fast.
    """
    path = Path(path)
    container = _open(path)
    with container:
        fmt = container.format.name
        if not container.streams.audio:
            raise NoAudioError("the file has no audio stream")
        stream = container.streams.audio[0]
        channels = stream.codec_context.channels or 0
        sample_rate = stream.codec_context.sample_rate or stream.rate or 0
        duration = _stream_duration(container)
        if duration is None or duration <= 0:
            try:
                duration = _demuxed_duration(container)
            except Exception as error:  # any demuxer failure means the file is damaged
                raise CorruptMediaError(f"the audio could not be read ({_reason(error)})") from error
        codec = stream.codec_context.name or ""
    info = MediaInfo(
        duration=duration,
        channels=channels,
        sample_rate=sample_rate,
        has_audio=True,
        format=fmt,
        codec=codec,
    )
    if duration <= 0 or channels == 0:
        raise EmptyMediaError("the audio stream is empty (zero length)")
    if max_duration is not None and duration > max_duration:
        raise MediaTooLongError(
            f"the media is {_hms(duration)} long, longer than the limit of {_hms(max_duration)}"
        )
    log.debug("media.probed", format=fmt, codec=codec, duration=duration, channels=channels)
    return info


def _hms(seconds: float) -> str:
    s = round(seconds)
    return f"{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}"


def iter_frames(
    path: str | Path,
    *,
    split_channels: bool = False,
    timeout: float | None = DEFAULT_DECODE_TIMEOUT,
    max_duration: float | None = DEFAULT_MAX_DURATION,
) -> Iterator[np.ndarray]:
    """Yield decoded 16 kHz float32 blocks of shape (channels, n) (channels is 1 unless split).

    Damaged packets are skipped; if nothing at all decodes, or less than half of the duration the
    headers announce (a truncated file), `CorruptMediaError` is raised at the end.
    """
    import av

    path = Path(path)
    deadline = None if timeout is None else time.monotonic() + timeout
    container = _open(path)
    with container:
        if not container.streams.audio:
            raise NoAudioError("the file has no audio stream")
        stream = container.streams.audio[0]
        announced = _stream_duration(container)
        channels = stream.codec_context.channels or 1
        layout: Any = stream.codec_context.layout
        if layout.nb_channels != channels:
            layout = av.AudioLayout(channels)  # type: ignore[arg-type]  # PyAV accepts a count
        # Channels are resampled as they are and averaged here: FFmpeg's own downmix to mono adds
        # them at -3 dB each, which can push speech past full scale.
        mix = not split_channels and channels > 1
        resampler = av.AudioResampler(format="fltp", layout=layout, rate=SAMPLE_RATE)
        limit = None if max_duration is None else int(max_duration * SAMPLE_RATE)
        produced = 0
        errors = 0
        packets = container.demux(stream)
        while True:
            try:
                packet = next(packets)
            except StopIteration:
                break
            except av.error.FFmpegError:  # the container itself is cut or damaged: keep what decoded
                errors += 1
                break
            if deadline is not None and time.monotonic() > deadline:
                raise DecodeTimeoutError(f"decoding took longer than {timeout:.0f} s")
            try:
                frames = packet.decode()
            except av.error.FFmpegError:
                errors += 1
                continue
            for frame in frames:
                frame.pts = None
                for out in resampler.resample(frame):
                    block = out.to_ndarray()
                    produced += block.shape[1]
                    yield block.mean(axis=0, keepdims=True) if mix else block
            if limit is not None and produced > limit:
                raise MediaTooLongError(f"the media is longer than the limit of {_hms(limit / SAMPLE_RATE)}")
        for out in resampler.resample(None):
            block = out.to_ndarray()
            produced += block.shape[1]
            yield block.mean(axis=0, keepdims=True) if mix else block
    seconds = produced / SAMPLE_RATE
    if produced == 0:
        if errors:
            raise CorruptMediaError("the audio is damaged: no part of it could be decoded")
        raise EmptyMediaError("the audio stream is empty (zero length)")
    if announced and seconds < 0.5 * announced:
        raise CorruptMediaError(
            f"the audio is truncated or damaged: {seconds:.1f} s of {announced:.1f} s could be decoded"
        )
    if errors:
        log.warning("media.decode_errors", path=path.name, errors=errors, seconds=seconds)


def decode(
    path: str | Path,
    *,
    split_channels: bool = False,
    timeout: float | None = DEFAULT_DECODE_TIMEOUT,
    max_duration: float | None = DEFAULT_MAX_DURATION,
) -> np.ndarray:
    """Decode a whole file to 16 kHz float32: shape (n,) mixed to mono, or (channels, n) when split.

    The buffer is sized from the announced duration and grown geometrically if that was short, so
    peak memory stays close to the size of the result.
    """
    started = time.monotonic()
    buffer: np.ndarray | None = None
    filled = 0
    hint = 0
    try:
        hint = int((probe(path, max_duration=None).duration + 1.0) * SAMPLE_RATE)
    except MediaError:
        hint = 0  # iter_frames raises the precise error below
    for block in iter_frames(path, split_channels=split_channels, timeout=timeout, max_duration=max_duration):
        n = block.shape[1]
        if buffer is None:
            buffer = np.empty((block.shape[0], max(hint, n, SAMPLE_RATE)), dtype=np.float32)
        if filled + n > buffer.shape[1]:
            grown = np.empty((buffer.shape[0], max(filled + n, int(buffer.shape[1] * 1.5))), dtype=np.float32)
            grown[:, :filled] = buffer[:, :filled]
            buffer = grown
        buffer[:, filled : filled + n] = block
        filled += n
    assert buffer is not None  # iter_frames raises when nothing decodes
    audio = buffer[:, :filled]
    if filled < 0.9 * buffer.shape[1]:
        audio = audio.copy()  # the buffer grew well past the end: release the unused tail
    log.debug("media.decoded", seconds=filled / SAMPLE_RATE, took=time.monotonic() - started)
    return audio if split_channels else audio[0]


def iter_chunks(
    path: str | Path,
    chunk_seconds: float,
    *,
    split_channels: bool = False,
    timeout: float | None = DEFAULT_DECODE_TIMEOUT,
    max_duration: float | None = DEFAULT_MAX_DURATION,
) -> Iterator[np.ndarray]:
    """Yield fixed-length blocks (the last may be shorter) of shape (n,) or (channels, n).

    Memory stays at about one chunk whatever the length of the file.
    """
    size = int(chunk_seconds * SAMPLE_RATE)
    if size <= 0:
        raise ValueError("chunk_seconds must be positive")
    pending: list[np.ndarray] = []
    pending_n = 0
    for block in iter_frames(path, split_channels=split_channels, timeout=timeout, max_duration=max_duration):
        pending.append(block)
        pending_n += block.shape[1]
        if pending_n >= size:
            joined = np.concatenate(pending, axis=1)
            full = joined.shape[1] // size * size
            # Copies: views would keep the whole block alive while the consumer holds a chunk.
            pending = [joined[:, full:].copy()] if full < joined.shape[1] else []
            pending_n = joined.shape[1] - full
            chunks = [joined[:, start : start + size] for start in range(0, full, size)]
            del joined
            while chunks:  # popped, so this generator holds no chunk while the consumer works
                chunk = chunks.pop(0)
                yield chunk if split_channels else chunk[0]
                del chunk
    if pending_n:
        chunk = np.concatenate(pending, axis=1)
        yield chunk if split_channels else chunk[0]
