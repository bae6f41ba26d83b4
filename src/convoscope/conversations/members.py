"""Member changes: a new name or email (an email another member has merges the two, as Symbl does),
and speaker events, which give each timed message the member who spoke most during it."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, update
from sqlalchemy.orm import Session

from convoscope.conversations.queries import members_of, messages_of
from convoscope.conversations.timeline import timeline_origin
from convoscope.errors import BadRequest, MemberNotFound
from convoscope.ids import uuid_id
from convoscope.tables import Conversation, InsightSet, Member, Message, Overlap
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
    for column in (Overlap.member_id, Overlap.other_member_id):
        session.execute(update(Overlap).where(column == member.id).values({column: twin.id}))
    # The two were one person: what they "overlapped" with each other was one voice, not two.
    session.execute(
        delete(Overlap).where(
            Overlap.conversation_id == twin.conversation_id, Overlap.member_id == Overlap.other_member_id
        )
    )
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
    for transcribed media). The person is found among the members by the id an earlier event gave
    them, then email, then name, and becomes a new member when none matches."""

    started: bool
    at: float
    user_id: str | None = None
    email: str | None = None
    name: str | None = None


# One request names at most this many new people, and a conversation has at most this many members.
MAX_NEW_SPEAKERS = 100
MAX_MEMBERS = 1000


def apply_speaker_events(session: Session, conversation_id: str, events: list[SpeakerEvent]) -> int:
    """Give each timed message the member who spoke most during it; returns messages changed.

    Linear in events and messages (times the few people who speak): members are found through
    indexes, and each message looks only at the spans of each speaker that can overlap it."""
    members = members_of(session, conversation_id)
    spans = _speaking_spans(conversation_id, _MemberIndex(session, members), events)
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


class _MemberIndex:
    """The conversation's members by event id, email and name; new ones are added as events name them.

    A new member always gets a fresh id: taking the event's id would make the outcome depend on
    whether some other conversation (of any app) already has a member with that id. The event's id
    is kept in `source_key`, so later events naming it find the same member."""

    def __init__(self, session: Session, members: list[Member]) -> None:
        self.session, self.members = session, members
        self.created = 0
        self.by_key: dict[str, Member] = {}
        self.by_email: dict[str, Member] = {}
        self.by_name: dict[str, Member] = {}
        for member in members:
            self._index(member)

    def _index(self, member: Member) -> None:
        self.by_key.setdefault(member.id, member)
        if member.source_key and member.source_key.startswith("event:"):
            self.by_key.setdefault(member.source_key.removeprefix("event:"), member)
        if member.email:
            self.by_email.setdefault(member.email.lower(), member)
        self.by_name.setdefault(member.name, member)

    def find_or_add(self, conversation_id: str, event: SpeakerEvent) -> Member:
        user_id, email, name = event.user_id, event.email, event.name
        found = (self.by_key.get(user_id) if user_id else None) or (
            self.by_email.get(email.lower()) if email else None
        )
        found = found or (self.by_name.get(name) if name else None)
        if found is not None:
            return found
        self.created += 1
        if self.created > MAX_NEW_SPEAKERS or len(self.members) >= MAX_MEMBERS:
            raise BadRequest(
                f"Speaker events may name at most {MAX_NEW_SPEAKERS} new speakers per request, and a "
                f"conversation has at most {MAX_MEMBERS} members."
            )
        member = Member(
            id=uuid_id(),
            conversation_id=conversation_id,
            name=name or email or user_id or "Unknown",
            email=email,
            source_key=f"event:{(user_id or email or name or '')[:190]}",
            position=max((m.position for m in self.members), default=0) + 1,
        )
        self.session.add(member)
        self.members.append(member)
        self._index(member)
        return member


@dataclass(frozen=True)
class _Spans:
    """One member's speaking spans: disjoint, in time order."""

    member_id: str
    starts: list[float]
    ends: list[float]


def _speaking_spans(conversation_id: str, index: _MemberIndex, events: list[SpeakerEvent]) -> list[_Spans]:
    open_since: dict[str, float] = {}
    by_member: dict[str, _Spans] = {}
    for event in sorted(events, key=lambda e: e.at):
        member = index.find_or_add(conversation_id, event)
        if event.started:
            open_since.setdefault(member.id, event.at)
        elif member.id in open_since:
            spans = by_member.setdefault(member.id, _Spans(member.id, [], []))
            spans.starts.append(open_since.pop(member.id))
            spans.ends.append(event.at)
    for member_id, since in open_since.items():
        spans = by_member.setdefault(member_id, _Spans(member_id, [], []))
        spans.starts.append(since)
        spans.ends.append(float("inf"))
    return list(by_member.values())


def _most_overlapping(spans: list[_Spans], begin: float, end: float) -> str | None:
    best, best_overlap = None, 0.0
    for member in spans:
        # Spans that can overlap [begin, end): from the last one starting before `begin` on.
        first = max(bisect_right(member.starts, begin) - 1, 0)
        for i in range(first, bisect_left(member.starts, end)):
            overlap = min(end, member.ends[i]) - max(begin, member.starts[i])
            if overlap > best_overlap:
                best, best_overlap = member.member_id, overlap
    return best
