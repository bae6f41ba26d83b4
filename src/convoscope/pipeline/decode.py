"""Decode media files with PyAV (the FFmpeg libraries bundled in the `av` wheel).

Any container FFmpeg reads works: wav, mp3, flac, ogg/opus, m4a/aac, amr, aiff, wma, and the audio
track of mp4/mov/mkv/webm video (but only those: `media_probe.ALLOWED_FORMATS`). Audio comes out as
16 kHz float32, mixed to mono or one row per channel. `probe` (from `media_probe`) reads headers
only; `decode` and `iter_chunks` stream frames through a resampler into a preallocated buffer, so
they never hold more than the result, and they stop when decoding has taken too long.

Errors form one small tree under `MediaError` (`media_errors`); each carries a message for the user.
Decoding runs native code on untrusted input: the server runs it in a child process
(`pipeline.isolated`), so a crash costs one job.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import structlog

from convoscope.pipeline.media_errors import (
    CorruptMediaError,
    DecoderCrashedError,
    DecodeTimeoutError,
    EmptyMediaError,
    MediaError,
    MediaTooLongError,
    NoAudioError,
    NotMediaError,
    TooManyChannelsError,
    UnsupportedFormatError,
)
from convoscope.pipeline.media_probe import (
    DEFAULT_DECODE_TIMEOUT,
    DEFAULT_MAX_CHANNELS,
    DEFAULT_MAX_DURATION,
    SAMPLE_RATE,
    MediaInfo,
    check_channels,
    check_length,
    decoding_plan,
    hms,
    open_media,
    probe,
    stream_duration,
)

log = structlog.get_logger(__name__)

__all__ = [
    "DEFAULT_DECODE_TIMEOUT",
    "DEFAULT_MAX_CHANNELS",
    "DEFAULT_MAX_DURATION",
    "SAMPLE_RATE",
    "CorruptMediaError",
    "DecodeTimeoutError",
    "DecoderCrashedError",
    "EmptyMediaError",
    "MediaError",
    "MediaInfo",
    "MediaTooLongError",
    "NoAudioError",
    "NotMediaError",
    "TooManyChannelsError",
    "UnsupportedFormatError",
    "check_length",
    "chunked",
    "decode",
    "hms",
    "iter_chunks",
    "iter_frames",
    "probe",
    "probed_frames",
]


class _Budget:
    """Time spent decoding, without the time the consumer of a generator holds it between blocks."""

    def __init__(self, timeout: float | None) -> None:
        self.timeout = timeout
        self.spent = 0.0
        self.resumed = time.monotonic()

    def check(self) -> None:
        if self.timeout is not None and self.spent + time.monotonic() - self.resumed > self.timeout:
            raise DecodeTimeoutError(f"decoding took longer than {self.timeout:.0f} s")

    def pause(self) -> None:
        self.spent += time.monotonic() - self.resumed

    def resume(self) -> None:
        self.resumed = time.monotonic()


def iter_frames(
    path: str | Path,
    *,
    split_channels: bool = False,
    timeout: float | None = DEFAULT_DECODE_TIMEOUT,
    max_duration: float | None = DEFAULT_MAX_DURATION,
    max_channels: int | None = DEFAULT_MAX_CHANNELS,
) -> Iterator[np.ndarray]:
    """Yield decoded 16 kHz float32 blocks of shape (channels, n) (channels is 1 unless split).

    `timeout` bounds the time spent decoding, not the time the caller spends between blocks.
    Damaged packets are skipped; if nothing at all decodes, or less than half of the duration the
    headers announce (a truncated file), `CorruptMediaError` is raised at the end.
    """
    budget = _Budget(timeout)
    for block in _decoded_blocks(Path(path), split_channels, budget, max_duration, max_channels):
        budget.pause()
        yield block
        budget.resume()


def probed_frames(
    path: str | Path,
    *,
    separate_channels: bool = False,
    timeout: float | None = DEFAULT_DECODE_TIMEOUT,
    max_duration: float | None = DEFAULT_MAX_DURATION,
    max_channels: int | None = DEFAULT_MAX_CHANNELS,
) -> tuple[MediaInfo, Iterator[np.ndarray]]:
    """The file's `MediaInfo`, and `iter_frames` over it planned from that (`decoding_plan`): the
    channels split when `separate_channels` and it has several, `max_duration` then shared by them."""
    info = probe(path, max_duration=max_duration, max_channels=max_channels)
    split, channel_limit = decoding_plan(info, separate_channels, max_duration)
    blocks = iter_frames(
        path, split_channels=split, timeout=timeout, max_duration=channel_limit, max_channels=max_channels
    )
    return info, blocks


def _decoded_blocks(
    path: Path,
    split_channels: bool,
    budget: _Budget,
    max_duration: float | None,
    max_channels: int | None,
) -> Iterator[np.ndarray]:
    import av

    container = open_media(path)
    with container:
        if not container.streams.audio:
            raise NoAudioError("the file has no audio stream")
        stream = container.streams.audio[0]
        announced = stream_duration(container)
        channels = stream.codec_context.channels or 1
        check_channels(channels, max_channels)
        layout: Any = stream.codec_context.layout
        if layout.nb_channels != channels:
            layout = av.AudioLayout(channels)  # type: ignore[arg-type]  # PyAV accepts a count
        # Channels are resampled as they are and averaged here: FFmpeg's own downmix to mono adds
        # them at -3 dB each, which can push speech past full scale. Interleaved ("flt"), not
        # planar: PyAV's planar `to_ndarray` crashes the process on frames of 8 or more channels.
        mix = not split_channels and channels > 1
        resampler = av.AudioResampler(format="flt", layout=layout, rate=SAMPLE_RATE)
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
            budget.check()
            try:
                frames = packet.decode()
            except av.error.FFmpegError:
                errors += 1
                continue
            for frame in frames:
                frame.pts = None
                for out in resampler.resample(frame):
                    block = _planes(out.to_ndarray(), channels, mix)
                    produced += block.shape[1]
                    yield block
            if limit is not None and produced > limit:
                raise MediaTooLongError(f"the media is longer than the limit of {hms(limit / SAMPLE_RATE)}")
        for out in resampler.resample(None):
            block = _planes(out.to_ndarray(), channels, mix)
            produced += block.shape[1]
            yield block
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


def _planes(interleaved: np.ndarray, channels: int, mix: bool) -> np.ndarray:
    """An interleaved (1, n * channels) block -> (channels, n), or (1, n) averaged when `mix`."""
    samples = interleaved.reshape(-1, channels)
    if mix:
        return samples.mean(axis=1, dtype=np.float32)[np.newaxis, :]
    return np.ascontiguousarray(samples.T)


def decode(
    path: str | Path,
    *,
    split_channels: bool = False,
    timeout: float | None = DEFAULT_DECODE_TIMEOUT,
    max_duration: float | None = DEFAULT_MAX_DURATION,
    max_channels: int | None = DEFAULT_MAX_CHANNELS,
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
    blocks = iter_frames(
        path,
        split_channels=split_channels,
        timeout=timeout,
        max_duration=max_duration,
        max_channels=max_channels,
    )
    for block in blocks:
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
    max_channels: int | None = DEFAULT_MAX_CHANNELS,
) -> Iterator[np.ndarray]:
    """Yield fixed-length blocks (the last may be shorter) of shape (n,) or (channels, n).

    Memory stays at about one chunk whatever the length of the file.
    """
    blocks = iter_frames(
        path,
        split_channels=split_channels,
        timeout=timeout,
        max_duration=max_duration,
        max_channels=max_channels,
    )
    return chunked(blocks, chunk_seconds, split_channels=split_channels)


def chunked(
    blocks: Iterator[np.ndarray], chunk_seconds: float, *, split_channels: bool
) -> Iterator[np.ndarray]:
    """`iter_frames`-shaped blocks regrouped into chunks of `chunk_seconds` (see `iter_chunks`)."""
    size = int(chunk_seconds * SAMPLE_RATE)
    if size <= 0:
        raise ValueError("chunk_seconds must be positive")
    pending: list[np.ndarray] = []
    pending_n = 0
    for block in blocks:
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
            while chunks:  # popped and never named, so this generator holds no chunk while the
                # consumer works: a local would keep the chunk it yielded last alive beside the
                # window the consumer joins from it (37 MB more from a long job's second window on)
                yield chunks.pop(0) if split_channels else chunks.pop(0)[0]
    if pending_n:  # the blocks let go first: the consumer's last chunk is their only copy
        rest = [np.concatenate(pending, axis=1)]
        del pending
        yield rest.pop() if split_channels else rest.pop()[0]
