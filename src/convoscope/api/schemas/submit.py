"""Async API submit bodies and answers, and the Job API answer."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from convoscope.api.schemas.common import Wire
from convoscope.options import SUPPORTED_LANGUAGES

# What the request models accept is what the hand-written parsers accept (`options`, `text_input`);
# the fuzzer's "positive" cases are drawn from here, so the closer the match, the more of them
# reach the success paths.
HTTP_URL = r"^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[!-~]*)?$"


class TrackerIn(Wire):
    name: str = Field(min_length=1, max_length=200, pattern=r"\S")
    vocabulary: list[str] = Field(min_length=1)


class EntityIn(Wire):
    customType: str | None = Field(default=None, max_length=200)
    text: str = Field(min_length=1, max_length=500, pattern=r"\S")
    value: str | None = Field(default=None, max_length=500)


class MessageText(Wire):
    content: str = Field(min_length=1, max_length=100_000, pattern=r"\S")
    contentType: str | None = "text/plain"


class MessageSender(Wire):
    name: str | None = Field(default=None, max_length=320)
    userId: str | None = Field(default=None, max_length=320)


class MessageDuration(Wire):
    startTime: str | None = None
    endTime: str | None = None


class TextMessageIn(Wire):
    payload: MessageText
    from_: MessageSender | None = Field(default=None, alias="from")
    duration: MessageDuration | None = None


class TextRequest(Wire):
    """POST/PUT /v1/process/text body (§3.4); every §3.2 option may also come in the query string."""

    messages: list[TextMessageIn] = Field(min_length=1)
    name: str | None = Field(default=None, max_length=500)
    confidenceThreshold: float | None = Field(default=None, ge=0, le=1)
    detectPhrases: bool | None = None
    detectEntities: bool | None = None
    entities: list[EntityIn] | None = None
    trackers: list[TrackerIn] | None = None
    enableSummary: bool | None = None
    webhookUrl: str | None = Field(default=None, max_length=2000, pattern=HTTP_URL)


class SubmitResponse(Wire):
    conversationId: str
    jobId: str


class JobResponse(Wire):
    id: str
    status: Literal["scheduled", "in_progress", "completed", "failed"]
    message: str | None = None


class UrlRequest(Wire):
    """POST/PUT /v1/process/{audio,video}/url body; every §3.2 option may also come in the query string."""

    url: str = Field(max_length=2000, pattern=HTTP_URL)
    name: str | None = Field(default=None, max_length=500)
    webhookUrl: str | None = Field(default=None, max_length=2000, pattern=HTTP_URL)
    customVocabulary: list[str] | None = None
    languageCode: str | None = Field(default=None, json_schema_extra={"enum": list(SUPPORTED_LANGUAGES)})
    enableSpeakerDiarization: bool | None = None
    diarizationSpeakerCount: int | None = Field(default=None, ge=1, le=100)
    enableSeparateRecognitionPerChannel: bool | None = None
    channelMetadata: list[dict[str, Any]] | None = None
    mode: Literal["default", "phone"] | None = None
