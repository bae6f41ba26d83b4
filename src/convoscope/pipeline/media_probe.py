"""Open and probe media files with PyAV (the FFmpeg libraries bundled in the `av` wheel).

Only the demuxers of real audio and video formats are used (`ALLOWED_FORMATS`), and no protocol but
the file's own. `probe` is cheap (it reads headers, and at most demuxes packets without decoding
them) so the API can refuse bad files at submit time.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import structlog

from convoscope.pipeline.media_errors import (
    CorruptMediaError,
    EmptyMediaError,
    MediaTooLongError,
    NoAudioError,
    NotMediaError,
    TooManyChannelsError,
    UnsupportedFormatError,
)

if TYPE_CHECKING:
    import av.container

log = structlog.get_logger(__name__)

SAMPLE_RATE = 16_000
DEFAULT_MAX_DURATION = 4 * 3600.0
DEFAULT_DECODE_TIMEOUT = 600.0
DEFAULT_MAX_CHANNELS = 32

# The demuxers of real audio and video formats (FFmpeg's short names). Any other is refused before
# its header is read: playlists and manifests (concat, hls, dash), image sequences, devices, raw
# streams and the like can name other files or URLs, so what decodes would not be what was sent.
ALLOWED_FORMATS = (
    "wav,w64,aiff,caf,au,flac,mp3,ogg,mov,matroska,webm,asf,avi,flv,mpeg,mpegts,aac,ac3,eac3,dts,"
    "dtshd,truehd,mlp,amr,amrnb,amrwb,wv,ape,tta,tak,mpc,mpc8,shn,dsf,rm,voc,gsm,nistsphere,loas,xwma"
)
# Passed to FFmpeg when a file is opened: only the demuxers above, and no protocol but the file's
# own, so nothing inside a file can reach another file through a URL or the network.
OPEN_OPTIONS = {"format_whitelist": ALLOWED_FORMATS, "protocol_whitelist": "file"}


@dataclass(frozen=True)
class MediaInfo:
    """What `probe` learns from a file's headers; `duration` is in seconds."""

    duration: float
    channels: int
    sample_rate: int
    has_audio: bool
    format: str
    codec: str = ""


def open_media(path: Path) -> av.container.InputContainer:
    import av

    if not path.is_file():
        raise NotMediaError(f"file not found: {path.name}")
    if path.stat().st_size == 0:
        raise NotMediaError("the file is empty")
    try:
        return av.open(str(path), mode="r", metadata_errors="ignore", container_options=OPEN_OPTIONS)
    except av.error.ArgumentError as error:  # what FFmpeg answers for a demuxer off the list
        raise UnsupportedFormatError(
            "not a readable audio or video file: its format is not accepted (playlists, image "
            "sequences, raw streams and formats that name other files are refused)"
        ) from error
    except av.error.FFmpegError as error:
        raise NotMediaError(
            f"not a readable audio or video file, or a damaged one ({_reason(error)})"
        ) from error


def _reason(error: Exception) -> str:
    strerror = getattr(error, "strerror", None)
    return str(strerror or error).strip() or type(error).__name__


def stream_duration(container: av.container.InputContainer) -> float | None:
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


def probe(
    path: str | Path,
    *,
    max_duration: float | None = DEFAULT_MAX_DURATION,
    max_channels: int | None = DEFAULT_MAX_CHANNELS,
) -> MediaInfo:
    """Read a file's headers. Raises `MediaError` for non-media, no audio, zero length, too many
    channels or too long.

    The duration comes from the headers; when they do not give one, packets are demuxed (not decoded),
    which is still fast.
    """
    path = Path(path)
    container = open_media(path)
    with container:
        fmt = container.format.name
        if not container.streams.audio:
            raise NoAudioError("the file has no audio stream")
        stream = container.streams.audio[0]
        channels = stream.codec_context.channels or 0
        sample_rate = stream.codec_context.sample_rate or stream.rate or 0
        duration = stream_duration(container)
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
    check_channels(channels, max_channels)
    if max_duration is not None and duration > max_duration:
        raise MediaTooLongError(
            f"the media is {hms(duration)} long, longer than the limit of {hms(max_duration)}"
        )
    log.debug("media.probed", format=fmt, codec=codec, duration=duration, channels=channels)
    return info


def check_channels(channels: int, max_channels: int | None) -> None:
    """Refuse audio with more channels than `max_channels` (None: no limit)."""
    if max_channels is not None and channels > max_channels:
        raise TooManyChannelsError(
            f"the audio has {channels} channels, more than the limit of {max_channels}"
        )


def check_length(info: MediaInfo, split_channels: bool, max_duration: float | None) -> None:
    """Refuse media whose audio to transcribe (each channel, when split) is over `max_duration`."""
    if max_duration is None or not split_channels or info.channels < 2:
        return
    total = info.duration * info.channels
    if total > max_duration:
        raise MediaTooLongError(
            f"the media has {info.channels} channels of {hms(info.duration)} to transcribe one by "
            f"one ({hms(total)} in all), more than the limit of {hms(max_duration)}"
        )


def decoding_plan(
    info: MediaInfo, separate_channels: bool, max_duration: float | None
) -> tuple[bool, float | None]:
    """(split the channels?, the limit on each decoded channel) for a probed file; raises
    `MediaTooLongError` when its channels, transcribed one by one, are too long together."""
    split = separate_channels and info.channels > 1
    check_length(info, split, max_duration)
    if split and max_duration is not None:  # the limit is of audio transcribed: each channel counts
        max_duration = max_duration / info.channels
    return split, max_duration


def hms(seconds: float) -> str:
    s = round(seconds)
    return f"{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}"
