"""Reads and simple writes of conversations, scoped to the app that owns them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, exists, select
from sqlalchemy.orm import Session

from convoscope.conversations.timeline import timeline_origin
from convoscope.errors import BadRequest, ConversationNotFound, JobNotFound
from convoscope.pipeline.insights.result import InsightResult
from convoscope.tables import (
    ACTIVE_STATUSES,
    TRANSIENT_CONVERSATION,
    Conversation,
    InsightSet,
    Job,
    Member,
    Message,
)


def own_conversation(session: Session, app_id: str, conversation_id: str) -> Conversation:
    """The app's conversation; another app's id answers exactly like an unknown one."""
    conversation = session.get(Conversation, conversation_id)
    if conversation is None or conversation.app_id != app_id:
        raise ConversationNotFound()
    return conversation


def conversation_owner(session: Session, conversation_id: str) -> str | None:
    """The app a conversation belongs to (for a signed link, which names no app); None if unknown."""
    conversation = session.get(Conversation, conversation_id)
    return conversation.app_id if conversation is not None else None


def own_job(session: Session, app_id: str, job_id: str) -> Job:
    job = session.get(Job, job_id)
    if job is None or job.app_id != app_id:
        raise JobNotFound()
    return job


def list_conversations(
    session: Session,
    app_id: str,
    *,
    limit: int,
    offset: int,
    descending: bool,
    start: datetime | None,
    end: datetime | None,
) -> list[Conversation]:
    query = select(Conversation).where(
        Conversation.app_id == app_id, Conversation.type != TRANSIENT_CONVERSATION
    )
    if start is not None:
        query = query.where(Conversation.start_time >= start)
    if end is not None:
        query = query.where(Conversation.start_time <= end)
    order = Conversation.start_time.desc() if descending else Conversation.start_time.asc()
    return list(session.scalars(query.order_by(order, Conversation.id).offset(offset).limit(limit)).all())


def members_of(session: Session, conversation_id: str) -> list[Member]:
    return list(
        session.scalars(
            select(Member).where(Member.conversation_id == conversation_id).order_by(Member.position)
        ).all()
    )


def members_by_conversation(session: Session, conversation_ids: list[str]) -> dict[str, list[Member]]:
    grouped: dict[str, list[Member]] = {cid: [] for cid in conversation_ids}
    rows = session.scalars(
        select(Member).where(Member.conversation_id.in_(conversation_ids)).order_by(Member.position)
    ).all()
    for member in rows:
        grouped[member.conversation_id].append(member)
    return grouped


def messages_of(session: Session, conversation_id: str) -> list[Message]:
    return list(
        session.scalars(
            select(Message).where(Message.conversation_id == conversation_id).order_by(Message.position)
        ).all()
    )


def insights_of(session: Session, conversation_id: str) -> InsightResult:
    """The stored insights (none before the first job has run); either stored format is read."""
    stored = session.get(InsightSet, conversation_id)
    return InsightResult.from_json(stored.payload) if stored else InsightResult()


def is_processing(session: Session, conversation_id: str) -> bool:
    """Does a job of the conversation that adds to it wait or run? (An insights refresh does not.)"""
    active = exists().where(
        Job.conversation_id == conversation_id, Job.status.in_(ACTIVE_STATUSES), Job.kind != "insights"
    )
    return bool(session.scalar(select(active)))


@dataclass(frozen=True)
class ConversationMessages:
    """A conversation's messages with what showing them takes: its members by id, its stored
    insights (each message's sentiment and phrases) and where its offsets count from."""

    messages: list[Message]
    members: dict[str, Member]
    insights: InsightResult
    origin: datetime | None  # see `timeline.timeline_origin`


def conversation_messages(session: Session, conversation: Conversation) -> ConversationMessages:
    messages = messages_of(session, conversation.id)
    return ConversationMessages(
        messages=messages,
        members={m.id: m for m in members_of(session, conversation.id)},
        insights=insights_of(session, conversation.id),
        origin=timeline_origin(conversation, (m.start_time for m in messages)),
    )


MAX_METADATA_KEYS = 100  # of one conversation, after merging


def update_metadata(session: Session, conversation_id: str, metadata: dict[str, str]) -> Conversation:
    """Merge `metadata` into the conversation's (a key given again gets the new value)."""
    conversation = session.get(Conversation, conversation_id)
    if conversation is None:  # deleted since the request began
        raise ConversationNotFound()
    merged = {**(conversation.meta or {}), **metadata}
    if len(merged) > MAX_METADATA_KEYS:
        raise BadRequest(f'"metadata" must have at most {MAX_METADATA_KEYS} keys in all')
    conversation.meta = merged
    return conversation


def delete_conversation(session: Session, conversation_id: str) -> list[str]:
    """Delete the conversation and its rows; returns the media keys the caller removes after commit."""
    media_keys = [
        key
        for key in session.scalars(select(Job.media_path).where(Job.conversation_id == conversation_id))
        if key
    ]
    # Explicit deletes, not only ON DELETE CASCADE: SQLite enforces cascades only with the pragma on.
    for table in (Message, Member, InsightSet, Job):
        session.execute(delete(table).where(table.conversation_id == conversation_id))
    session.execute(delete(Conversation).where(Conversation.id == conversation_id))
    return media_keys
