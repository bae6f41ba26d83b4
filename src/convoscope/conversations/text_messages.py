"""The `messages` of a text submit (https://docs.symbl.ai/docs/async-api/overview/text/post-text).

How many messages a request may hold and how long one may be are the server's settings: `parse`
passes them as the validation context (`max_messages`, `max_chars`). A stored job is read back
without them, as it was checked when it came in.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field, ValidationInfo, field_validator

from convoscope.conversations.lenient import MAX_NAME_CHARS, IsoTime, NotBlank, RequestModel, invalid


def _within_max_chars(content: str, info: ValidationInfo) -> str:
    limit = (info.context or {}).get("max_chars")
    if limit is not None and len(content) > limit:
        raise invalid(f"must be at most {limit} characters long")
    return content


def _stripped_or_none(value: str | None) -> str | None:
    return (value.strip() or None) if value is not None else None


def _empty_as_none(value: Any) -> Any:
    return None if value == {} else value


SenderField = Annotated[
    Annotated[str, Field(max_length=MAX_NAME_CHARS)] | None, AfterValidator(_stripped_or_none)
]


class MessagePayload(RequestModel):
    content: Annotated[str, NotBlank("is not allowed to be empty"), AfterValidator(_within_max_chars)]
    # Only plain text is sent: accepted for compatibility, and not stored.
    contentType: str | None = Field(default="text/plain", exclude=True)


class MessageSender(RequestModel):
    """Who wrote a message: a member of the conversation, found again by user id or email, then name."""

    name: SenderField = None
    userId: SenderField = None
    email: SenderField = None

    @property
    def is_known(self) -> bool:
        return bool(self.name or self.userId or self.email)


class MessageDuration(RequestModel):
    startTime: IsoTime | None = None
    endTime: IsoTime | None = None

    @field_validator("endTime")
    @classmethod
    def _not_before_start(cls, end: datetime | None, info: ValidationInfo) -> datetime | None:
        start = info.data.get("startTime")
        if start is not None and end is not None and end < start:
            raise invalid("must not be before startTime")
        return end


class TextMessage(RequestModel):
    payload: MessagePayload
    from_: Annotated[MessageSender | None, BeforeValidator(_empty_as_none)] = Field(
        default=None, alias="from"
    )
    duration: MessageDuration | None = None

    @property
    def sender(self) -> MessageSender | None:
        return self.from_ if self.from_ is not None and self.from_.is_known else None


def _message_count(value: Any, info: ValidationInfo) -> Any:
    if not isinstance(value, list):
        raise invalid("must be an array")
    if not value:
        raise invalid("must contain at least 1 item")
    limit = (info.context or {}).get("max_messages")
    if limit is not None and len(value) > limit:
        raise invalid(f"must contain at most {limit} items")
    return value


TextMessages = Annotated[list[TextMessage], Field(min_length=1), BeforeValidator(_message_count)]
