"""What `convoscope process SOURCE` was given: a media URL, a media file, or a text conversation (.json)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from convoscope.cli.client.errors import UsageProblem

VIDEO_SUFFIXES = frozenset({".mp4", ".m4v", ".mov", ".webm", ".mkv", ".avi"})


@dataclass(frozen=True)
class Source:
    kind: str  # audio | video | text
    url: str | None = None
    path: Path | None = None
    text_body: dict[str, Any] | None = None


def _media_kind(name: str) -> str:
    return "video" if Path(name).suffix.lower() in VIDEO_SUFFIXES else "audio"


def read_source(source: str) -> Source:
    if source.startswith(("http://", "https://")):
        return Source(kind=_media_kind(urlparse(source).path), url=source)
    path = Path(source)
    if not path.is_file():
        raise UsageProblem(f"No such file: {source} (give a media file, a .json text conversation or a URL).")
    if path.suffix.lower() == ".json":
        return Source(kind="text", path=path, text_body=_text_body(path))
    return Source(kind=_media_kind(path.name), path=path)


def _text_body(path: Path) -> dict[str, Any]:
    """A text conversation: a whole Text API body (`{"messages": [...], ...}`) or just the array."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UsageProblem(f"{path} is not readable JSON: {exc}") from None
    if isinstance(data, list):
        data = {"messages": data}
    if not isinstance(data, dict) or not isinstance(data.get("messages"), list):
        raise UsageProblem(f'{path} must hold {{"messages": [...]}} or a JSON array of messages.')
    return data


def job_options(
    source: Source,
    *,
    name: str | None,
    diarize: bool,
    speakers: int | None,
    language: str | None,
    vocabulary: tuple[str, ...],
    summary: bool,
    redact: bool = False,
) -> dict[str, Any]:
    """The submit options for this source; speech options are refused for text. `redact` masks
    personal data before anything is stored (and bleeps it in the stored media)."""
    options: dict[str, Any] = {}
    if name:
        options["name"] = name
    if summary:
        options["enableSummary"] = True
    if redact:
        options["redaction"] = {"identifyContent": True, "redactContent": True}
        if source.kind != "text":
            options["redaction"]["redactAudio"] = True
    speech = {"--diarize": diarize or speakers, "--language": language, "--vocabulary": vocabulary}
    if source.kind == "text":
        given = [flag for flag, value in speech.items() if value]
        if given:
            raise UsageProblem(f"{', '.join(given)} only apply to audio and video.")
        return options
    if diarize or speakers:
        options["enableSpeakerDiarization"] = True
    if speakers:
        options["diarizationSpeakerCount"] = speakers
    if language:
        options["languageCode"] = language
    words = [w.strip() for entry in vocabulary for w in entry.split(",") if w.strip()]
    if words:
        options["customVocabulary"] = words
    return options
