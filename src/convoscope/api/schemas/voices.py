"""Shapes of the voice library endpoints (`/v1/voices`). No shape here carries a voiceprint."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from convoscope.api.schemas.common import Wire
from convoscope.conversations.lenient import RequestModel
from convoscope.conversations.voices import VoiceInfo
from convoscope.timeutil import to_iso

Name = Annotated[str, Field(min_length=1, max_length=500)]
Email = Annotated[str, Field(max_length=320)]
UserId = Annotated[str, Field(max_length=320)]


class VoiceOut(Wire):
    id: str
    name: str
    email: str | None = None
    userId: str | None = None
    seconds: float
    createdAt: str | None
    updatedAt: str | None

    @classmethod
    def of(cls, voice: VoiceInfo) -> VoiceOut:
        return cls(
            id=voice.id,
            name=voice.name,
            email=voice.email,
            userId=voice.user_id,
            seconds=voice.seconds,
            createdAt=to_iso(voice.created_at),
            updatedAt=to_iso(voice.updated_at),
        )


class VoiceList(Wire):
    voices: list[VoiceOut]


class VoiceFromMember(RequestModel):
    """Enroll the voice of a diarized member of a processed conversation."""

    conversationId: Annotated[str, Field(min_length=1, max_length=64)]
    memberId: Annotated[str, Field(min_length=1, max_length=64)]
    name: Name | None = None  # default: the member's name
    email: Email | None = None
    userId: UserId | None = None


class VoiceSampleParams(RequestModel):
    """The query of a sample upload: the body is the recording."""

    name: Name
    email: Email | None = None
    userId: UserId | None = None


class VoiceUpdate(RequestModel):
    name: Name | None = None
    email: Email | None = None
    userId: UserId | None = None
