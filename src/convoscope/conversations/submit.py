"""Create (or append to) a conversation and record a scheduled job, in one transaction.

The job id is enqueued only after the commit: a worker never sees a job that is not stored.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from convoscope.conversations.job_requests import InsightSettings, SubmitOptions
from convoscope.conversations.queries import own_conversation
from convoscope.conversations.quota import check_quota
from convoscope.errors import TooManyJobs
from convoscope.ids import digit_id, uuid_id
from convoscope.services import Services
from convoscope.tables import ACTIVE_STATUSES, App, Conversation, Job
from convoscope.timeutil import utcnow


@dataclass(frozen=True)
class Submission:
    conversation_id: str
    job_id: str


def submit(
    services: Services,
    *,
    app_id: str,
    kind: str,
    request: SubmitOptions,
    conversation_id: str | None = None,
    media_path: str | None = None,
    conversation_type: str | None = None,
    media_bytes: int | None = None,
) -> Submission:
    """Store the job (`submit_job`), commit, then enqueue it. A media job counts against the app's
    storage quota: `media_bytes` of an upload, or (None, a URL submit) the quota must not be used up."""
    with services.db.session() as session:
        submission = submit_job(
            session,
            app_id=app_id,
            kind=kind,
            request=request,
            max_concurrent_jobs=services.settings.limits.concurrent_jobs,
            conversation_id=conversation_id,
            media_path=media_path,
            conversation_type=conversation_type,
            media_bytes=media_bytes,
            storage_quota=services.settings.limits.storage_bytes if kind != "text" else 0,
        )
    services.queue.try_enqueue(submission.job_id)  # stored already: a lost message is re-queued
    return submission


def submit_job(
    session: Session,
    *,
    app_id: str,
    kind: str,
    request: SubmitOptions,
    max_concurrent_jobs: int,
    conversation_id: str | None = None,
    media_path: str | None = None,
    conversation_type: str | None = None,
    media_bytes: int | None = None,
    storage_quota: int = 0,
) -> Submission:
    """Store the job with its request (and a new conversation when `conversation_id` is None, of
    `conversation_type` when given).

    Raises 404 / 429, or 413 past `storage_quota` (`quota.check_quota`). The request is stored as
    `request.model_dump()`; the worker reads it back with the same model's `model_validate`.
    """
    reserve_job_slot(session, app_id, max_concurrent_jobs)
    check_quota(session, app_id, media_bytes or 0, storage_quota)
    if conversation_id is None:
        conversation = _new_conversation(session, app_id, request, conversation_type)
    else:
        conversation = own_conversation(session, app_id, conversation_id)
        if request.name:
            conversation.name = request.name
    previous = InsightSettings.model_validate(conversation.insight_options or {})
    conversation.insight_options = request.insight_settings().merged_over(previous).model_dump(mode="json")
    position = session.scalar(
        select(func.coalesce(func.max(Job.position), 0)).where(Job.conversation_id == conversation.id)
    )
    job = Job(
        id=uuid_id(),
        app_id=app_id,
        conversation_id=conversation.id,
        position=int(position or 0) + 1,
        kind=kind,
        request=request.model_dump(mode="json", by_alias=True),
        media_path=media_path,
        media_bytes=media_bytes,
        webhook_url=request.webhookUrl,
        enqueued_at=utcnow(),
    )
    session.add(job)
    session.flush()
    return Submission(conversation_id=conversation.id, job_id=job.id)


def reserve_job_slot(session: Session, app_id: str, limit: int) -> None:
    # Writing the app row first serialises concurrent submits of one app (a row lock on PostgreSQL,
    # the write lock on SQLite), so the count below cannot be raced past the limit.
    session.execute(update(App).where(App.id == app_id).values(last_submit_at=utcnow()))
    active = session.scalar(
        select(func.count()).select_from(Job).where(Job.app_id == app_id, Job.status.in_(ACTIVE_STATUSES))
    )
    if int(active or 0) >= limit:
        raise TooManyJobs(limit)


def _new_conversation(
    session: Session, app_id: str, request: SubmitOptions, conversation_type: str | None
) -> Conversation:
    conversation_id = digit_id()
    conversation = Conversation(
        id=conversation_id,
        app_id=app_id,
        type=conversation_type or "meeting",
        name=request.name or conversation_id,
        start_time=utcnow(),
        language=request.languageCode,
        meta={},
        insight_options={},
    )
    session.add(conversation)
    session.flush()
    return conversation
