"""Member changes: a new name or email (an email another member has merges the two, as Symbl does),
and speaker events, which give each timed message the member who spoke most during it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session

from convoscope.conversations.queries import members_of, messages_of
from convoscope.conversations.timeline import timeline_origin
from convoscope.errors import MemberNotFound
from convoscope.ids import uuid_id
from convoscope.tables import Conversation, InsightSet, Member, Message
from convoscope.timeutil import as_utc


def update_member(
    session: Session, conversation_id: str, member_id: str, name: str, email: str | None
) -> Member:
    """Rename a member or set its email. An email another member already has merges the two: the
    member in the path goes away and everything that pointed at it points at the other one."""
    members = members_of(session, conversation_id)
    member = next((m for m in members if m.id == member_id), None)
    if member is None:
        raise MemberNotFound()
    twin = (
        next((m for m in members if m.id != member_id and m.email and m.email.lower() == email.lower()), None)
        if email
        else None
    )
    if twin is None:
        member.name, member.email = name, email or member.email
        return member
    session.execute(update(Message).where(Message.member_id == member.id).values(member_id=twin.id))
    twin.name = name
    if twin.voiceprint is None and member.voiceprint is not None:
        twin.voiceprint = member.voiceprint
    stored = session.get(InsightSet, conversation_id)
    if stored is not None:  # an assignee or speaker kept by id would otherwise keep the old name
        stored.payload = _repointed(stored.payload, member.id, twin)
    session.delete(member)
    return twin


def _repointed(node: Any, gone_id: str, twin: Member) -> Any:
    """Stored insights with every reference to the member `gone_id` pointing at `twin` instead.

    People are stored as `{name, member_id, email}`; insights stored in the first format kept them in
    the wire shape, `{id, name, email|userId}`.
    """
    if isinstance(node, list):
        return [_repointed(item, gone_id, twin) for item in node]
    if not isinstance(node, dict):
        return node
    contact = twin.email or twin.user_id
    if node.get("member_id") == gone_id:
        node = {**node, "member_id": twin.id, "name": twin.name, "email": contact}
    elif node.get("id") == gone_id and "name" in node:
        node = {**node, "id": twin.id, "name": twin.name}
        for key in ("email", "userId"):
            if key in node:
                node[key] = contact
    return {key: _repointed(value, gone_id, twin) for key, value in node.items()}


@dataclass(frozen=True)
class SpeakerEvent:
    """Someone started or stopped speaking, `at` seconds into the conversation (into the recording,
    for transcribed media). The person is found
    among the members by id, then email, then name, and becomes a new member when none matches."""

    started: bool
    at: float
    user_id: str | None = None
    email: str | None = None
    name: str | None = None


@dataclass(frozen=True)
class _Span:
    member_id: str
    start: float
    end: float


def apply_speaker_events(session: Session, conversation_id: str, events: list[SpeakerEvent]) -> int:
    """Give each timed message the member who spoke most during it; returns messages changed."""
    members = members_of(session, conversation_id)
    spans = _speaking_spans(session, conversation_id, members, events)
    messages = messages_of(session, conversation_id)
    conversation = session.get(Conversation, conversation_id)
    origin = timeline_origin(conversation, (m.start_time for m in messages)) if conversation else None
    if origin is None or not spans:
        return 0
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
    session: Session, conversation_id: str, members: list[Member], events: list[SpeakerEvent]
) -> list[_Span]:
    open_since: dict[str, float] = {}
    spans: list[_Span] = []
    for event in sorted(events, key=lambda e: e.at):
        member = _member_for(session, conversation_id, members, event)
        if event.started:
            open_since.setdefault(member.id, event.at)
        elif member.id in open_since:
            spans.append(_Span(member.id, open_since.pop(member.id), event.at))
    spans.extend(_Span(member_id, since, float("inf")) for member_id, since in open_since.items())
    return spans


def _member_for(session: Session, conversation_id: str, members: list[Member], event: SpeakerEvent) -> Member:
    """The member an event names (by id, then email, then name), created when new."""
    user_id, email, name = event.user_id, event.email, event.name
    for member in members:
        if (user_id and member.id == user_id) or (
            email and member.email and member.email.lower() == email.lower()
        ):
            return member
    for member in members:
        if name and member.name == name:
            return member
    taken = bool(user_id) and session.get(Member, user_id) is not None
    member = Member(
        id=user_id if user_id and not taken else uuid_id(),
        conversation_id=conversation_id,
        name=name or email or user_id or "Unknown",
        email=email,
        source_key=f"event:{user_id or email or name}",
        position=max((m.position for m in members), default=0) + 1,
    )
    session.add(member)
    members.append(member)
    return member


def _most_overlapping(spans: list[_Span], begin: float, end: float) -> str | None:
    best, best_overlap = None, 0.0
    for span in spans:
        overlap = min(end, span.end) - max(begin, span.start)
        if overlap > best_overlap:
            best, best_overlap = span.member_id, overlap
    return best
