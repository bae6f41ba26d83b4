"""`?refresh=true` on an insights route: a job that analyses the conversation again.

Analysing a long conversation takes seconds, so a request never does it itself (and an API node
without a worker could not): it answers from the stored insights and leaves a refresh job, which
runs after the conversation's earlier jobs like any other. One refresh at a time per conversation,
a few per minute per app, and within the app's job limit; a refresh over any of those is skipped
(the stored insights are the answer either way).
"""

from __future__ import annotations

import structlog
from sqlalchemy import exists, func, select

from convoscope.errors import TooManyJobs
from convoscope.ids import uuid_id
from convoscope.services import Services
from convoscope.tables import ACTIVE_STATUSES, Job
from convoscope.timeutil import utcnow

log = structlog.get_logger(__name__)

INSIGHTS_KIND = "insights"


def request_refresh(services: Services, app_id: str, conversation_id: str) -> str | None:
    """Leave a refresh job for the conversation; its id, or None when one was not needed or allowed."""
    if not services.limits.insight_refreshes.allowed(app_id):
        log.info("insights.refresh_skipped", conversation_id=conversation_id, reason="rate")
        return None
    from convoscope.conversations.submit import reserve_job_slot

    try:
        with services.db.session() as session:
            pending = exists().where(
                Job.conversation_id == conversation_id,
                Job.kind == INSIGHTS_KIND,
                Job.status.in_(ACTIVE_STATUSES),
            )
            if session.scalar(select(pending)):
                return None
            reserve_job_slot(session, app_id, services.settings.limits.concurrent_jobs)
            position = session.scalar(
                select(func.coalesce(func.max(Job.position), 0)).where(Job.conversation_id == conversation_id)
            )
            job = Job(
                id=uuid_id(),
                app_id=app_id,
                conversation_id=conversation_id,
                position=int(position or 0) + 1,
                kind=INSIGHTS_KIND,
                request={},
                enqueued_at=utcnow(),
            )
            session.add(job)
            job_id = job.id
    except TooManyJobs:
        log.info("insights.refresh_skipped", conversation_id=conversation_id, reason="jobs")
        return None
    services.limits.insight_refreshes.hit(app_id)
    services.queue.try_enqueue(job_id)  # stored already: a lost message is re-queued
    return job_id
