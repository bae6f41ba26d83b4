"""Conversation API shapes: conversations, messages, members, speaker events, transcripts."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from convoscope.api.schemas.common import Wire


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
