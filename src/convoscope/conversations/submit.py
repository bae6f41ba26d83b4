"""Create (or append to) a conversation and record a scheduled job, in one transaction.

The caller commits and only then enqueues the job id: a worker never sees a job that is not stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from convoscope.errors import ConversationNotFound, TooManyJobs
from convoscope.ids import digit_id, uuid_id
from convoscope.options import JobOptions
from convoscope.tables import ACTIVE_STATUSES, App, Conversation, Job
from convoscope.timeutil import utcnow


@dataclass(frozen=True)
class Submission:
    conversation_id: str
    job_id: str


def submit_job(
    session: Session,
    *,
    app_id: str,
    kind: str,
    options: JobOptions,
    request: dict[str, Any],
    max_concurrent_jobs: int,
    conversation_id: str | None = None,
    media_path: str | None = None,
) -> Submission:
    """Store the job (and a new conversation when `conversation_id` is None). Raises 404 / 429."""
    _reserve_job_slot(session, app_id, max_concurrent_jobs)
    if conversation_id is None:
        conversation = _new_conversation(session, app_id, options)
    else:
        conversation = _own_conversation(session, app_id, conversation_id)
        if options.name:
            conversation.name = options.name
    _merge_insight_options(conversation, options)
    position = session.scalar(
        select(func.coalesce(func.max(Job.position), 0)).where(Job.conversation_id == conversation.id)
    )
    job = Job(
        id=uuid_id(),
        app_id=app_id,
        conversation_id=conversation.id,
        position=int(position or 0) + 1,
        kind=kind,
        request=request,
        media_path=media_path,
        webhook_url=options.webhook_url,
        enqueued_at=utcnow(),
    )
    session.add(job)
    session.flush()
    return Submission(conversation_id=conversation.id, job_id=job.id)


def _reserve_job_slot(session: Session, app_id: str, limit: int) -> None:
    # Writing the app row first serialises concurrent submits of one app (a row lock on PostgreSQL,
    # the write lock on SQLite), so the count below cannot be raced past the limit.
    session.execute(update(App).where(App.id == app_id).values(last_submit_at=utcnow()))
    active = session.scalar(
        select(func.count()).select_from(Job).where(Job.app_id == app_id, Job.status.in_(ACTIVE_STATUSES))
    )
    if int(active or 0) >= limit:
        raise TooManyJobs(limit)


def _new_conversation(session: Session, app_id: str, options: JobOptions) -> Conversation:
    conversation_id = digit_id()
    conversation = Conversation(
        id=conversation_id,
        app_id=app_id,
        name=options.name or conversation_id,
        start_time=utcnow(),
        language=options.language_code,
        meta={},
        insight_options={},
    )
    session.add(conversation)
    session.flush()
    return conversation


def _own_conversation(session: Session, app_id: str, conversation_id: str) -> Conversation:
    conversation = session.get(Conversation, conversation_id)
    if conversation is None or conversation.app_id != app_id:
        raise ConversationNotFound()
    return conversation


def _merge_insight_options(conversation: Conversation, options: JobOptions) -> None:
    """Later jobs override the threshold; switches once on stay on; trackers and entities accumulate."""
    previous = dict(conversation.insight_options or {})
    merged = dict(previous)
    new = options.insight_settings()
    trackers = {t["name"]: t for t in merged.get("trackers", [])}
    trackers.update({t["name"]: t for t in new["trackers"]})
    entities = {(e["customType"], e["text"]): e for e in merged.get("entities", [])}
    entities.update({(e["customType"], e["text"]): e for e in new["entities"]})
    merged.update(new)
    for switch in ("detectPhrases", "detectEntities", "enableSummary"):
        merged[switch] = bool(previous.get(switch)) or bool(new[switch])
    merged["trackers"] = list(trackers.values())
    merged["entities"] = list(entities.values())
    conversation.insight_options = merged
