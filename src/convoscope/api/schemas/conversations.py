"""Conversation API shapes: conversations, messages and members, and the requests that read or change
them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field

from convoscope.api.schemas.common import Wire, present
from convoscope.api.wire.insights import message_phrases, message_sentiments
from convoscope.api.wire.members import sender_json
from convoscope.api.wire.pii import wire_name
from convoscope.conversations.job_requests import MAX_REDACTION_STRING
from convoscope.conversations.lenient import (
    MAX_NAME_CHARS,
    Between,
    BlankIsNone,
    IsoTime,
    NotBlank,
    OneOf,
    RequestModel,
    Switch,
    as_list,
)
from convoscope.conversations.pii import MessagePii, masked
from convoscope.conversations.queries import MAX_METADATA_KEYS, ConversationMessages
from convoscope.pipeline.pii import PiiKind, PiiSpan
from convoscope.tables import Conversation, Member, Message
from convoscope.timeutil import as_utc, parse_iso, to_iso

MAX_METADATA_CHARS = 128  # a key or a value of a conversation's metadata


class MemberOut(Wire):
    id: str
    name: str
    email: str | None = None

    @classmethod
    def of(cls, member: Member) -> MemberOut:
        return cls(id=member.id, name=member.name, **present(email=member.email))


class ConversationOut(Wire):
    id: str
    type: str
    name: str
    startTime: str
    endTime: str | None = None
    members: list[MemberOut]
    metadata: dict[str, Any]

    @classmethod
    def of(cls, conversation: Conversation, members: list[Member]) -> ConversationOut:
        return cls(
            id=conversation.id,
            type=conversation.type,
            name=conversation.name,
            startTime=to_iso(conversation.start_time) or "",
            endTime=to_iso(conversation.end_time),
            members=[MemberOut.of(m) for m in members],
            metadata=conversation.meta or {},
        )


class ConversationList(Wire):
    conversations: list[ConversationOut]


class ConversationQuery(RequestModel):
    """GET /v1/conversations: a page of the app's conversations, by start time."""

    limit: Annotated[int, Between(0, 65536, integer=True)] = 20
    offset: Annotated[int, Between(0, 2**31, integer=True)] = 0
    order: Annotated[Literal["asc", "desc"], OneOf(), BeforeValidator(str.lower)] = "asc"
    startTime: Annotated[IsoTime | None, BlankIsNone] = None
    endTime: Annotated[IsoTime | None, BlankIsNone] = None


class ConversationUpdate(RequestModel):
    """PUT /v1/conversations/{id}: metadata merged into what the conversation has."""

    metadata: Annotated[
        dict[
            Annotated[str, Field(max_length=MAX_METADATA_CHARS)],
            Annotated[str, Field(max_length=MAX_METADATA_CHARS)],
        ],
        Field(max_length=MAX_METADATA_KEYS),
    ]


class Sender(Wire):
    id: str | None = None
    name: str | None = None
    email: str | None = None
    userId: str | None = None

    @classmethod
    def of(cls, member: Member | None) -> Sender:
        """A message's `from`: `{id, name, email}`, or `{}` when nobody is known."""
        return cls(**sender_json(member))


class WordOut(Wire):
    word: str
    startTime: str | None = None
    endTime: str | None = None
    score: float | None = None
    timeOffset: float | None = None
    duration: float | None = None

    @classmethod
    def of(cls, word: dict[str, Any], origin: datetime | None) -> WordOut:
        """Stored words hold `word`, `startTime`/`endTime` (ISO) and `score`; offsets are derived here."""
        start = parse_iso(word["startTime"]) if word.get("startTime") else None
        end = parse_iso(word["endTime"]) if word.get("endTime") else None
        score = round(float(word["score"]), 4) if word.get("score") is not None else None
        return cls(
            word=word["word"],
            startTime=to_iso(start),
            endTime=to_iso(end),
            **({"score": score} if score is not None else {}),
            timeOffset=_seconds_between(origin, start),
            duration=_seconds_between(start, end),
        )


class PiiEntity(Wire):
    """Personal data in a message (`identifyContent`): its type, its value and where it is."""

    type: str
    value: str
    text: str
    offset: int


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
    entities: list[PiiEntity] | None = None


def _type_names(value: Any) -> Any:
    """`exclude=["PERSON_NAME","SSN"]` (JSON), `exclude=PERSON_NAME,SSN` or the key repeated."""
    values = value if isinstance(value, list) else [value]
    names: list[Any] = []
    for item in values:
        parsed = as_list(item) if isinstance(item, str) else item
        names.extend(parsed if isinstance(parsed, list) else [parsed])
    return names


class MessagesQuery(RequestModel):
    """GET .../messages: `verbose` adds each message's words, `sentiment` its sentiment; `redact`
    masks personal data (every type but those in `exclude`) with `redactionString`."""

    verbose: Switch = False
    sentiment: Switch = False
    redact: Switch = False
    exclude: Annotated[
        list[Annotated[str, Field(max_length=64)]], Field(max_length=64), BeforeValidator(_type_names)
    ] = Field(default_factory=list)
    redactionString: Annotated[str, Field(min_length=1, max_length=MAX_REDACTION_STRING)] = "****"


@dataclass(frozen=True)
class Redacting:
    """What a read shows of the messages' personal data: each message's finds, and the kinds masked."""

    found: dict[str, MessagePii]
    hidden: frozenset[PiiKind]
    replacement: str


class MessageList(Wire):
    messages: list[MessageOut]

    @classmethod
    def of(cls, found: ConversationMessages, query: MessagesQuery, pii: Redacting) -> MessageList:
        origin = found.origin
        sentiments = message_sentiments(found.insights) if query.sentiment else {}
        phrases = message_phrases(found.insights)
        return cls(
            messages=[_message(m, found, origin, query, sentiments, phrases, pii) for m in found.messages]
        )


class MemberList(Wire):
    members: list[MemberOut]


class MemberUpdate(RequestModel):
    """PUT .../members/{memberId}: a new name, and an email that may merge two members."""

    id: Annotated[str, Field(max_length=64), NotBlank()]
    name: Annotated[str, Field(max_length=MAX_NAME_CHARS), NotBlank(strip=True)]
    email: Annotated[str, Field(max_length=MAX_NAME_CHARS)] | None = None


_NEUTRAL = {"polarity": {"score": 0.0}, "suggested": "neutral"}


def _message(
    message: Message,
    found: ConversationMessages,
    origin: datetime | None,
    query: MessagesQuery,
    sentiments: dict[str, dict[str, Any]],
    phrases: dict[str, list[dict[str, Any]]],
    pii: Redacting,
) -> MessageOut:
    member = found.members.get(message.member_id) if message.member_id else None
    text, words, said = message.text, message.words, phrases.get(message.id, [])
    extra: dict[str, Any] = {}
    stored = pii.found.get(message.id)
    if stored is not None:
        hide = _hider(pii.hidden)
        view = masked(text, words, stored.spans, pii.replacement, hide)
        said = [_masked_phrase(phrase, text, stored.spans, pii.replacement, hide) for phrase in said]
        text, words = view.text, view.words
        if stored.identified:
            extra["entities"] = [
                PiiEntity(type=wire_name(s.kind), value=s.value, text=text[s.start : s.end], offset=s.start)
                for s in view.spans
            ]
    if query.sentiment:
        extra["sentiment"] = sentiments.get(message.id) or _NEUTRAL
    if query.verbose:
        extra["words"] = [WordOut.of(word, origin) for word in words or []]
    return MessageOut(
        id=message.id,
        text=text,
        from_=Sender.of(member),
        startTime=to_iso(message.start_time),
        endTime=to_iso(message.end_time),
        timeOffset=_seconds_between(origin, message.start_time),
        duration=_seconds_between(message.start_time, message.end_time),
        conversationId=message.conversation_id,
        phrases=said,
        **extra,
    )


def _hider(hidden: frozenset[PiiKind]) -> Callable[[PiiSpan], bool]:
    return lambda span: span.kind in hidden


def _masked_phrase(
    phrase: dict[str, Any],
    text: str,
    spans: tuple[PiiSpan, ...],
    replacement: str,
    hide: Callable[[PiiSpan], bool],
) -> dict[str, Any]:
    """A phrase of the message with the masked parts of the message masked in it too."""
    said = str(phrase.get("text", ""))
    for span in spans:
        if hide(span) and text[span.start : span.end]:
            said = said.replace(text[span.start : span.end], replacement)
    return {**phrase, "text": said}


def _seconds_between(earlier: datetime | None, later: datetime | None) -> float | None:
    if earlier is None or later is None:
        return None
    return round((as_utc(later) - as_utc(earlier)).total_seconds(), 2)
