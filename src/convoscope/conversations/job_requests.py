"""What a submit asks for: one model per kind of request (text, media upload, media URL).

Each is parsed once, leniently, at the API (`lenient.parse` over the query string and the JSON body
merged), stored with its job as `model_dump()` and read back by the worker with `model_validate()`.
Field names are Symbl's parameter names, so the wire, the stored job and the code say the same thing.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import AfterValidator, AliasChoices, BeforeValidator, Field, model_validator

from convoscope.conversations import json_text
from convoscope.conversations.languages import DEFAULT_LANGUAGE_CODE, LANGUAGE_CODES, WHISPER_LANGUAGE
from convoscope.conversations.lenient import (
    MAX_LABEL_CHARS,
    MAX_LIST_ITEMS,
    MAX_NAME_CHARS,
    MAX_TERM_CHARS,
    AsList,
    Between,
    BlankIsNone,
    Flag,
    JsonObject,
    NotBlank,
    OneOf,
    RequestModel,
    RequiredTerms,
    Terms,
    as_list,
    invalid,
)
from convoscope.conversations.text_messages import TextMessages

MAX_NAME_LENGTH = 500  # a conversation's name
MAX_URL_LENGTH = 2000  # a webhook or media URL
MAX_LANGUAGE_CODE_CHARS = 16
MAX_CONVERSATION_TYPE_CHARS = 64
HTTP_URL = r"^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[!-~]*)?$"

Threshold = Annotated[float, Between(0.0, 1.0)]
MinutesFromUtc = Annotated[int, Between(-1440, 1440, integer=True)]
SpeakerCount = Annotated[int, Between(1, 100, integer=True)]
Channel = Annotated[int, Between(0, 64, integer=True)]
Name = Annotated[str, Field(max_length=MAX_NAME_CHARS)]


def _blank_as_none(value: Any) -> Any:
    return value or None


def _custom_type(value: Any) -> str:
    return str(value or "custom")


def _string_or_none(value: Any) -> str | None:
    return None if value is None else str(value)


def _entity_items(value: Any) -> Any:
    """Entities in either shape: `{customType, text, value?}`, or the legacy `{"entityName": "text"}`."""
    items = as_list(value)
    if not isinstance(items, list):
        return items
    expanded: list[Any] = []
    for item in items:
        if isinstance(item, dict) and "customType" not in item and "text" not in item:
            expanded.extend({"customType": str(k), "text": str(v)} for k, v in item.items())
        else:
            expanded.append(item)
    return expanded


def _conversation_types(value: Any) -> Any:
    """One type as a string, or a list of them."""
    if isinstance(value, str) and not value.startswith("["):
        if len(value) > MAX_CONVERSATION_TYPE_CHARS:
            raise invalid(f"must be at most {MAX_CONVERSATION_TYPE_CHARS} characters long")
        return [value] if value else []
    return value


class Entity(RequestModel):
    customType: Annotated[str, Field(max_length=MAX_LABEL_CHARS), BeforeValidator(_custom_type)] = "custom"
    text: Annotated[str, Field(max_length=MAX_TERM_CHARS), NotBlank()]
    value: Annotated[
        Annotated[str, Field(max_length=MAX_TERM_CHARS)] | None, BeforeValidator(_string_or_none)
    ] = None


class Tracker(RequestModel):
    name: Annotated[str, Field(max_length=MAX_LABEL_CHARS), NotBlank(strip=True)]
    vocabulary: RequiredTerms = Field(default_factory=list, validate_default=True)


class InsightSettings(RequestModel):
    """The options that shape a conversation's insights: stored with the conversation, merged over its
    jobs (`merged_over`) and read by every analysis."""

    confidenceThreshold: Threshold = 0.5
    detectPhrases: Flag = False
    entities: Annotated[list[Entity], Field(max_length=MAX_LIST_ITEMS), BeforeValidator(_entity_items)] = (
        Field(default_factory=list, validation_alias=AliasChoices("entities", "customEntities"))
    )
    trackers: Annotated[list[Tracker], Field(max_length=MAX_LIST_ITEMS), AsList] = Field(default_factory=list)
    # Minutes east of UTC (UTC-7 is -420): relative dates such as "tomorrow" are local days.
    timezoneOffset: Annotated[MinutesFromUtc | None, BlankIsNone] = None

    def merged_over(self, previous: InsightSettings) -> InsightSettings:
        """A later job sets the threshold and time zone; a switch once on stays on; trackers (by name)
        and entities (by type and text) accumulate, the later job's version winning."""
        trackers = {t.name: t for t in previous.trackers} | {t.name: t for t in self.trackers}
        entities = {(e.customType, e.text): e for e in previous.entities} | {
            (e.customType, e.text): e for e in self.entities
        }
        return self.model_copy(
            update={
                "detectPhrases": previous.detectPhrases or self.detectPhrases,
                "trackers": list(trackers.values()),
                "entities": list(entities.values()),
            }
        )


MAX_REDACTION_STRING = 16


class Redaction(RequestModel):
    """Personal and payment data in the job's messages (https://docs.symbl.ai/docs/redact):
    `identifyContent` lists what was found on each message (`entities`), `redactContent` replaces it
    with `redactionString` before anything is stored, `redactAudio` also bleeps it in the stored
    media."""

    identifyContent: Flag = False
    redactContent: Flag = False
    redactionString: Annotated[str, Field(min_length=1, max_length=MAX_REDACTION_STRING)] = "****"
    redactAudio: Flag = False

    @property
    def wanted(self) -> bool:
        return self.identifyContent or self.redactContent or self.redactAudio


def _redaction(value: Any) -> Any:
    """The `redaction` object, or its JSON text (an upload's query parameter)."""
    if value is None or value == "":
        return {}
    if isinstance(value, str):
        try:
            value = json_text.loads(value)
        except json_text.JsonTooDeep as exc:
            raise invalid(f"is not accepted: {exc}") from None
        except json.JSONDecodeError:
            raise invalid("must be an object") from None
    return value


def _supported_language(code: str) -> str:
    if code not in WHISPER_LANGUAGE:
        raise invalid(f"{code!r} is not supported. Supported: {', '.join(LANGUAGE_CODES)}")
    return code


class SubmitOptions(InsightSettings):
    """The options of every submit (https://docs.symbl.ai/docs/async-api/overview/text/post-text)."""

    name: Annotated[str, Field(max_length=MAX_NAME_LENGTH)] | None = None
    # The conversation's language (insights are made for English only); media is recognised in it.
    languageCode: Annotated[
        str,
        Field(max_length=MAX_LANGUAGE_CODE_CHARS, json_schema_extra={"enum": list(LANGUAGE_CODES)}),
        AfterValidator(_supported_language),
    ] = DEFAULT_LANGUAGE_CODE
    # Checked when a webhook is sent, not here: any string is kept, as Symbl does.
    webhookUrl: Annotated[
        Annotated[str, Field(max_length=MAX_URL_LENGTH)] | None, BeforeValidator(_blank_as_none)
    ] = None

    # Accepted for compatibility, validated, and neither stored nor acted on: entities are always
    # detected, the summary is always made, and there are no saved trackers, call scores or
    # conversation types to use these with.
    detectEntities: Flag = Field(default=False, exclude=True)
    enableSummary: Flag = Field(default=False, exclude=True)
    enableAllTrackers: Flag = Field(
        default=False, exclude=True, validation_alias=AliasChoices("enableAllTrackers", "enableAllTracker")
    )
    conversationType: Annotated[Terms, BeforeValidator(_conversation_types)] = Field(
        default_factory=list, exclude=True
    )
    metadata: JsonObject = Field(default_factory=dict, exclude=True)
    redaction: Annotated[Redaction, BeforeValidator(_redaction)] = Redaction()

    @model_validator(mode="before")
    @classmethod
    def _drop_nulls(cls, data: Any) -> Any:
        """A parameter given as null is a parameter not given. The redaction switches are also taken
        at the top level (`?redactContent=true`), where some clients put every option."""
        if not isinstance(data, dict):
            return data
        data = {k: v for k, v in data.items() if v is not None}
        flat = {k: data.pop(k) for k in list(data) if k in Redaction.model_fields}
        if flat:
            nested = _redaction(data.get("redaction"))
            data["redaction"] = {**flat, **nested} if isinstance(nested, dict) else nested
        return data

    def insight_settings(self) -> InsightSettings:
        return InsightSettings.model_validate(self.model_dump(include=set(InsightSettings.model_fields)))


class TextSubmit(SubmitOptions):
    """POST/PUT /v1/process/text: the options and the messages."""

    messages: TextMessages


def _http_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise invalid("must be an http or https URL")
    return url


def _speaker(value: Any) -> Any:
    return {"name": value} if isinstance(value, str) else value or {}


class ChannelSpeaker(RequestModel):
    name: Name | None = None
    email: Name | None = None


class ChannelMetadata(RequestModel):
    """Who speaks on a channel; channels count from 1, as in Symbl's examples."""

    channel: Channel
    speaker: Annotated[ChannelSpeaker, BeforeValidator(_speaker)] = ChannelSpeaker()


class MediaOptions(SubmitOptions):
    """The options of an audio or video submit: the submit options and how to recognise speech."""

    customVocabulary: Terms = Field(default_factory=list)
    mode: Annotated[Literal["phone", "default"], OneOf()] = "default"  # phone: 8 kHz telephone audio
    enableSeparateRecognitionPerChannel: Flag = False
    channelMetadata: Annotated[list[ChannelMetadata], Field(max_length=MAX_LIST_ITEMS), AsList] = Field(
        default_factory=list
    )
    enableSpeakerDiarization: Flag = False
    diarizationSpeakerCount: Annotated[SpeakerCount | None, BlankIsNone] = None
    # Diarized speakers whose voice is in the app's voice library are named after it; false: never.
    enableVoiceLibrary: Flag = True

    @property
    def whisper_language(self) -> str:
        return WHISPER_LANGUAGE[self.languageCode]

    @property
    def per_channel(self) -> bool:
        """Each channel recognised on its own: asked for, and not overruled by diarization."""
        return self.enableSeparateRecognitionPerChannel and not self.enableSpeakerDiarization

    def channel_speaker(self, channel: int) -> ChannelSpeaker | None:
        return next((c.speaker for c in self.channelMetadata if c.channel == channel), None)


class MediaUpload(MediaOptions):
    """POST/PUT /v1/process/{audio,video}: the options come in the query string, the media is the body."""


class MediaUrlSubmit(MediaOptions):
    """POST/PUT /v1/process/{audio,video}/url: the options and the media's URL, fetched by the worker."""

    # The pattern is the common case, for clients and test generators; any http(s) URL with a host is
    # accepted, and where it points is checked when the worker downloads it.
    url: Annotated[
        str,
        Field(max_length=MAX_URL_LENGTH, json_schema_extra={"pattern": HTTP_URL}),
        NotBlank(strip=True),
        AfterValidator(_http_url),
    ]
