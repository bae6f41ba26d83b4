"""What an audio/video job needs to remember from its request, validated at submit time."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from convoscope.errors import BadRequest
from convoscope.options import JobOptions
from convoscope.pipeline.transcribe import UnsupportedLanguageError, language_from_code


def media_request(options: JobOptions) -> dict[str, Any]:
    """The recognition options of a media job, as stored with it (400 on an unsupported language)."""
    try:
        language_from_code(options.language_code)
    except UnsupportedLanguageError as exc:
        raise BadRequest(str(exc)) from None
    return {
        "languageCode": options.language_code,
        "customVocabulary": list(options.custom_vocabulary),
        "mode": options.mode,
        "separateChannels": options.separate_channels,
        "channelMetadata": [
            {"channel": c.channel, "name": c.name, "email": c.email} for c in options.channel_metadata
        ],
        "diarization": options.diarization,
        "speakerCount": options.speaker_count,
    }


def check_media_url(value: Any) -> str:
    """A syntactically usable http(s) URL; where it points is checked when the job downloads it."""
    if not isinstance(value, str) or not value.strip():
        raise BadRequest('"url" is required')
    url = value.strip()
    if len(url) > 2000:
        raise BadRequest('"url" must be at most 2000 characters long')
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise BadRequest('"url" must be an http or https URL')
    return url
