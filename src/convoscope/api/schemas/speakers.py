"""PUT /v1/conversations/{id}/speakers: who spoke when, as `started_speaking` / `stopped_speaking`
events with offsets from the start of the conversation
(https://docs.symbl.ai/docs/conversation-api/speaker-events)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, model_validator

from convoscope.conversations.lenient import MAX_NAME_CHARS, OneOf, RequestModel, invalid
from convoscope.conversations.members import SpeakerEvent

Name = Annotated[str, Field(max_length=MAX_NAME_CHARS)]


# A day of offsets, in seconds or nanoseconds (the docs' `nanos` run past 1e9).
MAX_OFFSET = 86400 * 1e9
MAX_SPEAKER_EVENTS = 10_000


def _seconds(value: Any) -> float:
    if isinstance(value, bool):
        raise invalid("must be a number")
    try:
        number = float(value or 0)
    except (TypeError, ValueError):
        raise invalid("must be a number") from None
    if not 0 <= number <= MAX_OFFSET:  # also refuses NaN and infinities
        raise invalid(f"must be a number between 0 and {MAX_OFFSET:.0f}")
    return number


Seconds = Annotated[float, BeforeValidator(_seconds)]


class EventUser(RequestModel):
    id: Annotated[str, Field(max_length=64)] | None = None  # becomes the member's id when new
    name: Name | None = None
    email: Name | None = None

    @model_validator(mode="after")
    def _named(self) -> EventUser:
        if not (self.id or self.email or self.name):
            raise invalid("must have an id, email or name")
        return self


class Offset(RequestModel):
    seconds: Seconds = 0
    nanos: Seconds = 0


class SpeakerEventIn(RequestModel):
    type: Annotated[Literal["started_speaking", "stopped_speaking"], OneOf()]
    user: EventUser
    offset: Offset

    def event(self) -> SpeakerEvent:
        return SpeakerEvent(
            started=self.type == "started_speaking",
            at=self.offset.seconds + self.offset.nanos / 1e9,
            user_id=self.user.id,
            email=self.user.email,
            name=self.user.name,
        )


def _objects(value: Any) -> Any:
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise invalid("must be an array of objects")
    return value


class SpeakerEvents(RequestModel):
    speakerEvents: Annotated[
        list[SpeakerEventIn], Field(max_length=MAX_SPEAKER_EVENTS), BeforeValidator(_objects)
    ]

    def events(self) -> list[SpeakerEvent]:
        return [event.event() for event in self.speakerEvents]
