"""Member changes and speaker events.

A rename may also set an email; when that email is another member's, the two become one (Symbl's
merge rule: the member in the path goes, its messages and insights point at the other). Speaker
events (`started_speaking`/`stopped_speaking` with offsets from the conversation's start) give
speakers to messages by time.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session

from convoscope.conversations.queries import members_of, messages_of
from convoscope.errors import BadRequest, MemberNotFound
from convoscope.ids import uuid_id
from convoscope.tables import Conversation, Member, Message
from convoscope.timeutil import as_utc


def update_member(
    session: Session, conversation: Conversation, member_id: str, body: dict[str, Any]
) -> Member:
    """Rename a member or set its email. An email another member already has merges the two: the
    member in the path goes away and everything that pointed at it points at the other one."""
    name, email = body.get("name"), body.get("email")
    if not isinstance(body.get("id"), str) or not body["id"]:
        raise BadRequest('"id" is required')
    if not isinstance(name, str) or not name.strip():
        raise BadRequest('"name" is required')
    if len(name) > 320:
        raise BadRequest('"name" must be at most 320 characters long')
    if email is not None and not isinstance(email, str):
        raise BadRequest('"email" must be a string')
    if email is not None and len(email) > 320:
        raise BadRequest('"email" must be at most 320 characters long')
    members = members_of(session, conversation.id)
    member = next((m for m in members if m.id == member_id), None)
    if member is None:
        raise MemberNotFound()
    twin = (
        next((m for m in members if m.id != member_id and m.email and m.email.lower() == email.lower()), None)
        if email
        else None
    )
    if twin is None:
        member.name, member.email = name.strip(), email or member.email
        return member
    session.execute(update(Message).where(Message.member_id == member.id).values(member_id=twin.id))
    twin.name = name.strip()
    if twin.voiceprint is None and member.voiceprint is not None:
        twin.voiceprint = member.voiceprint
    session.delete(member)
    return twin


@dataclass(frozen=True)
class _Span:
    member_id: str
    start: float
    end: float


def apply_speaker_events(session: Session, conversation: Conversation, events: list[dict[str, Any]]) -> int:
    """Give each timed message the member who spoke most during it; returns messages changed."""
    members = members_of(session, conversation.id)
    spans = _speaking_spans(session, conversation, members, events)
    messages = messages_of(session, conversation.id)
    starts = [as_utc(m.start_time) for m in messages if m.start_time]
    if not starts or not spans:
        return 0
    origin = min(starts)
    changed = 0
    for message in messages:
        if message.start_time is None:
            continue
        begin = (as_utc(message.start_time) - origin).total_seconds()
        end = (as_utc(message.end_time) - origin).total_seconds() if message.end_time else begin
        best = _most_overlapping(spans, begin, max(end, begin + 0.01))
        if best is not None and best != message.member_id:
            message.member_id = best
            changed += 1
    return changed


def _speaking_spans(
    session: Session, conversation: Conversation, members: list[Member], events: list[dict[str, Any]]
) -> list[_Span]:
    open_since: dict[str, float] = {}
    spans: list[_Span] = []
    ordered = sorted(events, key=lambda e: _offset_seconds(e.get("offset")))
    for event in ordered:
        member = _member_for(session, conversation, members, event.get("user") or {})
        at = _offset_seconds(event.get("offset"))
        if event.get("type") == "started_speaking":
            open_since.setdefault(member.id, at)
        elif event.get("type") == "stopped_speaking" and member.id in open_since:
            spans.append(_Span(member.id, open_since.pop(member.id), at))
        elif event.get("type") not in ("started_speaking", "stopped_speaking"):
            raise BadRequest('"speakerEvents[].type" must be one of [started_speaking, stopped_speaking]')
    spans.extend(_Span(member_id, since, float("inf")) for member_id, since in open_since.items())
    return spans


def _member_for(
    session: Session, conversation: Conversation, members: list[Member], user: dict[str, Any]
) -> Member:
    """The member an event's user names (by id, then email, then name), created when new."""
    user_id, email, name = user.get("id"), user.get("email"), user.get("name")
    for member in members:
        if (user_id and member.id == user_id) or (
            email and member.email and member.email.lower() == email.lower()
        ):
            return member
    for member in members:
        if name and member.name == name:
            return member
    if not (user_id or email or name):
        raise BadRequest('"speakerEvents[].user" must have an id, email or name')
    taken = bool(user_id) and session.get(Member, user_id) is not None
    member = Member(
        id=user_id if user_id and not taken else uuid_id(),
        conversation_id=conversation.id,
        name=name or email or user_id,
        email=email,
        source_key=f"event:{user_id or email or name}",
        position=max((m.position for m in members), default=0) + 1,
    )
    session.add(member)
    members.append(member)
    return member


def _offset_seconds(offset: Any) -> float:
    if not isinstance(offset, dict):
        raise BadRequest('"speakerEvents[].offset" must be an object with seconds and nanos')
    try:
        return float(offset.get("seconds") or 0) + float(offset.get("nanos") or 0) / 1e9
    except (TypeError, ValueError):
        raise BadRequest('"speakerEvents[].offset" must hold numbers') from None


def _most_overlapping(spans: list[_Span], begin: float, end: float) -> str | None:
    best, best_overlap = None, 0.0
    for span in spans:
        overlap = min(end, span.end) - max(begin, span.start)
        if overlap > best_overlap:
            best, best_overlap = span.member_id, overlap
    return best
