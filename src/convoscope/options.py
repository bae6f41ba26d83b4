"""Typed job options parsed from the Symbl parameters (§3.2), tolerant of every known client's quirks.

Values arrive as JSON values (from a body) or strings (from a query string that `api.params` has
already unpacked); each coercion below accepts both and raises `BadRequest` with a clear message.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from convoscope.errors import BadRequest
from convoscope.pipeline.types import CustomEntity, TrackerSpec

SUPPORTED_LANGUAGES = (
    "en-US", "en-GB", "en-AU", "en-IE", "en-IN", "en-ZA", "ru-RU", "fr-CA", "fr-FR", "de-DE",
    "it-IT", "nl-NL", "ja-JP", "es-US", "es-ES", "ar-SA", "hi-IN", "pt-BR", "pt-PT", "fa-IR",
)  # fmt: skip

# Longest accepted strings and longest lists, each refused with a 400 that names the limit.
MAX_TERM_CHARS = 500  # a custom vocabulary term, a tracker phrase, an entity's text or value
MAX_LABEL_CHARS = 200  # a tracker name, an entity type
MAX_LIST_ITEMS = 1000  # custom vocabulary terms, trackers, phrases of one tracker, entities

_TRUE = {"true", "1", "yes", "on"}
_FALSE = {"false", "0", "no", "off", ""}


@dataclass(frozen=True)
class ChannelSpeaker:
    channel: int
    name: str | None = None
    email: str | None = None


@dataclass(frozen=True)
class JobOptions:
    """Every option a submit may carry; the defaults are Symbl's."""

    name: str | None = None
    webhook_url: str | None = None
    confidence_threshold: float = 0.5
    detect_phrases: bool = False
    detect_entities: bool = False
    entities: tuple[CustomEntity, ...] = ()
    trackers: tuple[TrackerSpec, ...] = ()
    enable_all_trackers: bool = False
    enable_summary: bool = False
    custom_vocabulary: tuple[str, ...] = ()
    language_code: str = "en-US"
    mode: str = "default"
    separate_channels: bool = False
    channel_metadata: tuple[ChannelSpeaker, ...] = ()
    diarization: bool = False
    speaker_count: int | None = None
    timezone_offset_minutes: int | None = None
    conversation_type: tuple[str, ...] = ()
    metadata: dict[str, Any] = field(default_factory=dict)

    def insight_settings(self) -> dict[str, Any]:
        """The options that shape a conversation's insights, stored with the conversation."""
        return {
            "confidenceThreshold": self.confidence_threshold,
            "detectPhrases": self.detect_phrases,
            "detectEntities": self.detect_entities,
            "enableSummary": self.enable_summary,
            "entities": [
                {"customType": e.custom_type, "text": e.text, "value": e.value} for e in self.entities
            ],
            "trackers": [{"name": t.name, "vocabulary": list(t.vocabulary)} for t in self.trackers],
            "timezoneOffset": self.timezone_offset_minutes,
        }


def to_bool(name: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
        return value.strip().lower() in _TRUE
    raise BadRequest(f'"{name}" must be a boolean')


def to_float(name: str, value: Any, low: float, high: float) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise BadRequest(f'"{name}" must be a number') from None
    if isinstance(value, bool) or not low <= number <= high:
        raise BadRequest(f'"{name}" must be a number between {low} and {high}')
    return number


def to_int(name: str, value: Any, low: int, high: int) -> int:
    number = to_float(name, value, low, high)
    if number != int(number):
        raise BadRequest(f'"{name}" must be an integer')
    return int(number)


def to_str(name: str, value: Any, max_length: int = 10_000) -> str:
    if not isinstance(value, str):
        raise BadRequest(f'"{name}" must be a string')
    if len(value) > max_length:
        raise BadRequest(f'"{name}" must be at most {max_length} characters long')
    return value


def to_list(name: str, value: Any) -> list[Any]:
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError:
            value = [part.strip() for part in value.strip().strip("[]").split(",") if part.strip()]
    if isinstance(value, dict):
        value = [value]
    if not isinstance(value, list):
        raise BadRequest(f'"{name}" must be an array')
    if len(value) > MAX_LIST_ITEMS:
        raise BadRequest(f'"{name}" must contain at most {MAX_LIST_ITEMS} items')
    return value


def _string_list(name: str, value: Any, max_length: int = MAX_TERM_CHARS) -> tuple[str, ...]:
    items = to_list(name, value)
    if not all(isinstance(item, str) for item in items):
        raise BadRequest(f'"{name}" must be an array of strings')
    if any(len(item) > max_length for item in items):
        raise BadRequest(f'"{name}" items must be at most {max_length} characters long')
    return tuple(item.strip().strip('"') for item in items if item.strip())


def _entities(name: str, value: Any) -> tuple[CustomEntity, ...]:
    entities = []
    for item in to_list(name, value):
        if not isinstance(item, dict):
            raise BadRequest(f'"{name}" items must be objects')
        if "customType" in item or "text" in item:
            if not isinstance(item.get("text"), str) or not item["text"].strip():
                raise BadRequest(f'"{name}[].text" is required')
            value_field = item.get("value")
            entities.append(
                CustomEntity(
                    custom_type=str(item.get("customType") or "custom"),
                    text=item["text"],
                    value=str(value_field) if value_field is not None else None,
                )
            )
        else:  # legacy shape: {"entityName": "entityValue"}
            entities.extend(CustomEntity(custom_type=str(k), text=str(v)) for k, v in item.items())
    for entity in entities:
        to_str(f"{name}[].customType", entity.custom_type, MAX_LABEL_CHARS)
        to_str(f"{name}[].text", entity.text, MAX_TERM_CHARS)
        to_str(f"{name}[].value", entity.value or "", MAX_TERM_CHARS)
    return tuple(entities)


def _trackers(value: Any) -> tuple[TrackerSpec, ...]:
    trackers = []
    for item in to_list("trackers", value):
        if not isinstance(item, dict) or not isinstance(item.get("name"), str) or not item["name"].strip():
            raise BadRequest('"trackers[].name" is required')
        to_str("trackers[].name", item["name"], MAX_LABEL_CHARS)
        vocabulary = _string_list("trackers[].vocabulary", item.get("vocabulary", []))
        if not vocabulary:
            raise BadRequest('"trackers[].vocabulary" must not be empty')
        trackers.append(TrackerSpec(name=item["name"].strip(), vocabulary=vocabulary))
    return tuple(trackers)


def _channels(value: Any) -> tuple[ChannelSpeaker, ...]:
    channels = []
    for item in to_list("channelMetadata", value):
        if not isinstance(item, dict) or "channel" not in item:
            raise BadRequest('"channelMetadata[].channel" is required')
        speaker = item.get("speaker") or {}
        if isinstance(speaker, str):
            speaker = {"name": speaker}
        if not isinstance(speaker, dict):
            raise BadRequest('"channelMetadata[].speaker" must be an object')
        channels.append(
            ChannelSpeaker(
                channel=to_int("channelMetadata[].channel", item["channel"], 0, 64),
                name=speaker.get("name"),
                email=speaker.get("email"),
            )
        )
    return tuple(channels)


def _metadata(value: Any) -> dict[str, Any]:
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError:
            raise BadRequest('"metadata" must be an object') from None
    if not isinstance(value, dict):
        raise BadRequest('"metadata" must be an object')
    return value


def parse_job_options(params: dict[str, Any]) -> JobOptions:
    """Build `JobOptions` from merged parameters; unknown keys are ignored (clients send extras)."""
    p = {k: v for k, v in params.items() if v is not None}
    language = to_str("languageCode", p.get("languageCode", "en-US"), 16)
    if language not in SUPPORTED_LANGUAGES:
        raise BadRequest(
            f'"languageCode" {language!r} is not supported. Supported: {", ".join(SUPPORTED_LANGUAGES)}'
        )
    mode = to_str("mode", p.get("mode", "default"), 16)
    if mode not in ("default", "phone"):
        raise BadRequest('"mode" must be one of [phone, default]')
    conversation_type = p.get("conversationType", ())
    entities = p.get("entities", p.get("customEntities", ()))
    return JobOptions(
        name=to_str("name", p["name"], 500) if "name" in p else None,
        webhook_url=to_str("webhookUrl", p["webhookUrl"], 2000) if p.get("webhookUrl") else None,
        confidence_threshold=to_float("confidenceThreshold", p.get("confidenceThreshold", 0.5), 0.0, 1.0),
        detect_phrases=to_bool("detectPhrases", p.get("detectPhrases", False)),
        detect_entities=to_bool("detectEntities", p.get("detectEntities", False)),
        entities=_entities("entities", entities) if entities else (),
        trackers=_trackers(p["trackers"]) if p.get("trackers") else (),
        enable_all_trackers=to_bool(
            "enableAllTrackers", p.get("enableAllTrackers", p.get("enableAllTracker", False))
        ),
        enable_summary=to_bool("enableSummary", p.get("enableSummary", False)),
        custom_vocabulary=_string_list("customVocabulary", p["customVocabulary"])
        if p.get("customVocabulary")
        else (),
        language_code=language,
        mode=mode,
        separate_channels=to_bool(
            "enableSeparateRecognitionPerChannel", p.get("enableSeparateRecognitionPerChannel", False)
        ),
        channel_metadata=_channels(p["channelMetadata"]) if p.get("channelMetadata") else (),
        diarization=to_bool("enableSpeakerDiarization", p.get("enableSpeakerDiarization", False)),
        speaker_count=to_int("diarizationSpeakerCount", p["diarizationSpeakerCount"], 1, 100)
        if p.get("diarizationSpeakerCount") not in (None, "")
        else None,
        timezone_offset_minutes=to_int("timezoneOffset", p["timezoneOffset"], -1440, 1440)
        if p.get("timezoneOffset") not in (None, "")
        else None,
        conversation_type=_string_list("conversationType", conversation_type)
        if isinstance(conversation_type, list)
        or (isinstance(conversation_type, str) and conversation_type.startswith("["))
        else ((to_str("conversationType", conversation_type, 64),) if conversation_type else ()),
        metadata=_metadata(p["metadata"]) if p.get("metadata") else {},
    )
