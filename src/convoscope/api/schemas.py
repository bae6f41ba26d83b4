"""Wire shapes (Symbl's field names) for the OpenAPI schema and response validation.

Requests are parsed leniently by hand (`api.params`, `options`), so request models here document
the shape rather than enforce it; responses are checked against these models.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class Wire(BaseModel):
    model_config = ConfigDict(populate_by_name=True, extra="allow")


class TokenRequest(Wire):
    type: Literal["application", "password"] = "application"
    appId: str
    appSecret: str


class TokenResponse(Wire):
    accessToken: str
    expiresIn: int
    refreshToken: str | None = None


class TokenRefreshRequest(Wire):
    appId: str
    appSecret: str
    refreshToken: str


class MessageText(Wire):
    content: str
    contentType: str | None = "text/plain"


class MessageSender(Wire):
    name: str | None = None
    userId: str | None = None


class MessageDuration(Wire):
    startTime: str | None = None
    endTime: str | None = None


class TextMessageIn(Wire):
    payload: MessageText
    from_: MessageSender | None = Field(default=None, alias="from")
    duration: MessageDuration | None = None


class TextRequest(Wire):
    """POST/PUT /v1/process/text body (§3.4); every §3.2 option may also come in the query string."""

    messages: list[TextMessageIn]
    name: str | None = None
    confidenceThreshold: float | None = None
    detectPhrases: bool | None = None
    detectEntities: bool | None = None
    entities: list[dict[str, Any]] | None = None
    trackers: list[dict[str, Any]] | None = None
    enableSummary: bool | None = None
    webhookUrl: str | None = None


class SubmitResponse(Wire):
    conversationId: str
    jobId: str


class JobResponse(Wire):
    id: str
    status: Literal["scheduled", "in_progress", "completed", "failed"]
    message: str | None = None


class MessageResponse(Wire):
    message: str


class MemberOut(Wire):
    id: str
    name: str
    email: str | None = None


class ConversationOut(Wire):
    id: str
    type: str
    name: str
    startTime: str
    endTime: str | None = None
    members: list[MemberOut]
    metadata: dict[str, Any]


class ConversationList(Wire):
    conversations: list[ConversationOut]


class ConversationUpdate(Wire):
    metadata: dict[str, str]


class Sender(Wire):
    id: str | None = None
    name: str | None = None
    email: str | None = None
    userId: str | None = None


class WordOut(Wire):
    word: str
    startTime: str | None = None
    endTime: str | None = None
    score: float | None = None
    timeOffset: float | None = None
    duration: float | None = None


class MessageOut(Wire):
    id: str
    text: str
    from_: Sender = Field(alias="from")
    startTime: str | None = None
    endTime: str | None = None
    timeOffset: float | None = None
    duration: float | None = None
    conversationId: str
    phrases: list[dict[str, Any]]
    sentiment: dict[str, Any] | None = None
    words: list[WordOut] | None = None


class MessageList(Wire):
    messages: list[MessageOut]


class MemberList(Wire):
    members: list[MemberOut]


class MemberUpdate(Wire):
    id: str
    name: str
    email: str | None = None


class SpeakerOffset(Wire):
    seconds: float = 0
    nanos: float = 0


class SpeakerEvent(Wire):
    type: Literal["started_speaking", "stopped_speaking"]
    user: dict[str, Any]
    offset: SpeakerOffset


class SpeakerEvents(Wire):
    speakerEvents: list[SpeakerEvent]


class UrlRequest(Wire):
    """POST/PUT /v1/process/{audio,video}/url body; every §3.2 option may also come in the query string."""

    url: str
    name: str | None = None
    webhookUrl: str | None = None
    customVocabulary: list[str] | None = None
    languageCode: str | None = None
    enableSpeakerDiarization: bool | None = None
    diarizationSpeakerCount: int | None = None
    enableSeparateRecognitionPerChannel: bool | None = None
    channelMetadata: list[dict[str, Any]] | None = None
    mode: str | None = None


class TranscriptPhrases(Wire):
    highlightOnlyInsightKeyPhrases: bool | None = None
    highlightAllKeyPhrases: bool | None = None


class TranscriptRequest(Wire):
    contentType: Literal["text/markdown", "text/srt", "text/vtt"] = "text/markdown"
    createParagraphs: bool | None = None
    showSpeakerSeparation: bool | None = None
    phrases: TranscriptPhrases | None = None
    nestedPayload: bool | None = Field(
        default=None, description="Extension: SRT/VTT payload as {content, contentType}."
    )


class TranscriptBody(Wire):
    payload: str | dict[str, str]
    contentType: str


class TranscriptResponse(Wire):
    transcript: TranscriptBody
