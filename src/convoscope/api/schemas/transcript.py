"""POST /v1/conversations/{id}/transcript: the conversation as Markdown, SRT or (an extension) WebVTT."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BeforeValidator, Field

from convoscope.api.schemas.common import Wire
from convoscope.conversations.lenient import Flag, OneOf, RequestModel


def _none_as_empty(value: object) -> object:
    return value or {}


class TranscriptPhrases(RequestModel):
    highlightOnlyInsightKeyPhrases: Flag = False
    highlightAllKeyPhrases: Flag = False


class TranscriptRequest(RequestModel):
    contentType: Annotated[Literal["text/markdown", "text/srt", "text/vtt"], OneOf()] = "text/markdown"
    createParagraphs: Flag = True
    showSpeakerSeparation: Flag | None = Field(default=None, description="Default: on for Markdown only.")
    phrases: Annotated[TranscriptPhrases, BeforeValidator(_none_as_empty)] = TranscriptPhrases()
    # Symbl documents the SRT answer as {content, contentType}; most clients read a plain string.
    nestedPayload: Flag = Field(
        default=False, description="Extension: the payload as {content, contentType}."
    )

    @property
    def speaker_separation(self) -> bool:
        if self.showSpeakerSeparation is None:
            return self.contentType == "text/markdown"
        return self.showSpeakerSeparation


class NestedPayload(Wire):
    content: str
    contentType: str


class TranscriptBody(Wire):
    payload: str | NestedPayload
    contentType: str


class TranscriptResponse(Wire):
    transcript: TranscriptBody

    @classmethod
    def of(cls, text: str, request: TranscriptRequest) -> TranscriptResponse:
        kind = request.contentType
        payload = NestedPayload(content=text, contentType=kind) if request.nestedPayload else text
        return cls(transcript=TranscriptBody(payload=payload, contentType=kind))
