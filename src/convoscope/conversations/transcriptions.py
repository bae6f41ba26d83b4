"""Transcriptions a caller waits for (the OpenAI-style speech API), run as ordinary jobs.

A request becomes a `transcription` job on a conversation of its own, queued and run by any worker
like every job, so a scaled-out deployment serves it; the API node polls the job row until the
worker has stored the result. Unless the request is kept, its conversation is `transient`: left out
of the conversation list and search, deleted with its media once the answer is sent, and swept up by
the workers' housekeeping when nobody did (a client gone, an API node that died).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import structlog
from sqlalchemy import select

from convoscope.conversations.queries import delete_conversation
from convoscope.conversations.submit import Submission, submit
from convoscope.conversations.transcription_requests import TranscriptionRequest
from convoscope.db import Database
from convoscope.services import Services
from convoscope.storage import MediaStore
from convoscope.tables import FINAL_STATUSES, TRANSIENT_CONVERSATION, Conversation, Job, JobStatus
from convoscope.timeutil import utcnow

log = structlog.get_logger(__name__)

JOB_KIND = "transcription"


@dataclass(frozen=True)
class Outcome:
    """A transcription job that is done: its document (`result`), or why it failed."""

    completed: bool
    result: dict[str, Any] | None
    message: str | None
    error_code: str | None  # the failure's code (`JobFailed.code`), when it failed


def submit_transcription(
    services: Services, *, app_id: str, request: TranscriptionRequest, media_key: str
) -> Submission:
    """Store and enqueue the job (429 over the app's concurrent jobs, like every submit)."""
    return submit(
        services,
        app_id=app_id,
        kind=JOB_KIND,
        request=request,
        media_path=media_key,
        conversation_type=None if request.keep else TRANSIENT_CONVERSATION,
        media_bytes=services.media.path(media_key).stat().st_size,
    )


def outcome(db: Database, job_id: str, *, kept: bool) -> Outcome | None:
    """The job's outcome once it has ended; None while it waits or runs.

    A kept request's result is stored before the conversation's insights are computed: its caller
    gets the answer as soon as the result is there, without waiting for them.
    """
    with db.session() as session:
        job = session.get(Job, job_id)
        if job is None:  # deleted with its conversation (a timed-out request was dropped)
            return Outcome(False, None, "The request was cancelled.", "cancelled")
        result = dict(job.result or {})
        if job.status == JobStatus.FAILED:
            return Outcome(False, None, job.message, str(result.get("error") or "server_error"))
        if job.status in FINAL_STATUSES or (kept and result and "error" not in result):
            return Outcome(True, result, None, None)
        return None


def discard(services: Services, conversation_id: str) -> None:
    """Delete a request's conversation, its job and its media (a request that is not kept)."""
    with services.db.session() as session:
        media_keys = delete_conversation(session, conversation_id)
    for key in media_keys:
        services.media.delete(key)


def sweep_transient(db: Database, media: MediaStore, older_than: timedelta) -> int:
    """Delete transient conversations older than `older_than`: nobody waits for them any more."""
    cutoff = utcnow() - older_than
    with db.session() as session:
        ids = session.scalars(
            select(Conversation.id).where(
                Conversation.type == TRANSIENT_CONVERSATION, Conversation.created_at < cutoff
            )
        ).all()
        media_keys = [key for conversation_id in ids for key in delete_conversation(session, conversation_id)]
    for key in media_keys:
        media.delete(key)
    if ids:
        log.info("transcriptions.swept", conversations=len(ids))
    return len(ids)
