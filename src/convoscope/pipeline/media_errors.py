"""What can be wrong with a media file. Each error's `str()` is a message meant for the user.

MediaError
├── NotMediaError: not a media container FFmpeg reads (text, empty, unknown bytes)
│   └── UnsupportedFormatError: a container of a kind that is refused (playlists, image sequences...)
├── NoAudioError: no audio stream (a video without sound)
├── EmptyMediaError: an audio stream without samples
├── CorruptMediaError: truncated or damaged so that little or none of it decodes
├── TooManyChannelsError: more audio channels than the configured limit
├── MediaTooLongError: longer than the configured limit
├── DecodeTimeoutError: decoding took longer than the configured limit
└── DecoderCrashedError: the decoding process died (a native crash on this file)
"""

from __future__ import annotations


class MediaError(Exception):
    """The media cannot be used. `str(error)` is a message for the user."""


class NotMediaError(MediaError):
    """The file is not a media container FFmpeg can read (text, empty, unknown bytes)."""


class UnsupportedFormatError(NotMediaError):
    """The container is of a kind that is never opened: it could name other files or URLs."""


class NoAudioError(MediaError):
    """The container has no audio stream (for instance a video without sound)."""


class EmptyMediaError(MediaError):
    """The audio stream holds no samples."""


class CorruptMediaError(MediaError):
    """The audio is truncated or damaged so that little or none of it decodes."""


class TooManyChannelsError(MediaError):
    """The audio has more channels than the configured limit."""


class MediaTooLongError(MediaError):
    """The media is longer than the configured limit."""


class DecodeTimeoutError(MediaError):
    """Decoding took longer than the configured limit."""


class DecoderCrashedError(MediaError):
    """The process decoding the file died: the file makes the native decoder crash."""


# By name, for errors that cross a process boundary (`pipeline.isolated`).
BY_NAME: dict[str, type[MediaError]] = {
    cls.__name__: cls
    for cls in (
        MediaError,
        NotMediaError,
        UnsupportedFormatError,
        NoAudioError,
        EmptyMediaError,
        CorruptMediaError,
        TooManyChannelsError,
        MediaTooLongError,
        DecodeTimeoutError,
        DecoderCrashedError,
    )
}
