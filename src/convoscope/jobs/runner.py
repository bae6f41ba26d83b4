"""Runs one job: order check, claim with a lease, process, store, insights, final status, webhooks.

Safe to run twice for the same id (a duplicate queue message, a re-delivery after a crash): the
claim is a compare-and-set on the job row, and storing replaces the job's own earlier results.
Every later write checks that the job is still ours (`worker_id` and `in_progress`), so a worker
whose lease expired, or that handed its job back on shutdown, cannot overwrite a newer attempt.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any, cast

import structlog
from sqlalchemy import CursorResult, Update, exists, select, update
from sqlalchemy.orm import Session

from convoscope import metrics
from convoscope.conversations.insights import refresh_insights
from convoscope.jobs.lease_heartbeat import LeaseHeartbeat
from convoscope.jobs.output import JobOutput, store_output
from convoscope.jobs.redaction import forget_submitted_text, redacted, scrubbed_request
from convoscope.jobs.webhooks import Delivery, WebhookSender, webhook_secret
from convoscope.pipeline.media_errors import MediaError
from convoscope.services import Services
from convoscope.tables import ACTIVE_STATUSES, Conversation, Job, JobStatus
from convoscope.timeutil import utcnow

log = structlog.get_logger(__name__)

# A processor turns a job (and a read-only look at its conversation) into messages. It must not
# write to the database: storing happens afterwards, in one short transaction.
Processor = Callable[[Job, Conversation], JobOutput]


class JobFailed(Exception):
    """A job that cannot succeed (bad media, download refused...): fail it now, no retry.

    `code` says why in a word (`invalid_media`, `unsupported_language`, `model_unavailable`...); it is
    stored in the job's result (`{"error": code}`) for a caller waiting for the job. A job that ends
    failed after crashing on every attempt gets `server_error`.
    """

    def __init__(self, message: str, code: str = "invalid_input") -> None:
        super().__init__(message)
        self.code = code


class LeaseLost(Exception):
    """Another worker took the job over (our lease expired); drop our results."""


class JobRunner:
    def __init__(
        self,
        services: Services,
        processors: dict[str, Processor],
        worker_id: str,
        webhooks: WebhookSender,
    ) -> None:
        self.db = services.db
        self.queue = services.queue
        self.media = services.media
        self.settings = services.settings
        self.processors = processors
        self.worker_id = worker_id
        self._lease = timedelta(seconds=self.settings.jobs.lease_seconds)
        self._signing_key = services.signing_key
        self.webhooks = webhooks
        self._current: set[str] = set()
        self._current_lock = threading.Lock()  # guards _current and _closed, and is held over a claim
        self._closed = False

    def close(self) -> None:
        """Start no new job from now on (shutdown); the jobs already running are `current_jobs()`."""
        with self._current_lock:
            self._closed = True

    def current_jobs(self) -> list[str]:
        """Ids of the jobs this runner is processing right now."""
        with self._current_lock:
            return sorted(self._current)

    def run(self, job_id: str) -> None:
        with structlog.contextvars.bound_contextvars(job_id=job_id, worker_id=self.worker_id):
            self._run(job_id)

    def _run(self, job_id: str) -> None:
        with self.db.session() as session:
            job = session.get(Job, job_id)
            if job is None or job.status not in ACTIVE_STATUSES:
                return
            kind = job.kind
            # Clients see `in_progress` from submission on (the Job API never says `scheduled`), so
            # the webhook says it once, when the job first starts, not again on a retry.
            first_start = job.started_at is None
            if _waits_for_earlier_job(session, job):
                job.enqueued_at = utcnow()
                self.queue.enqueue(job_id, delay=0.5)
                return
        with self._current_lock:
            if self._closed:  # shutting down: leave the job to another worker
                self.queue.enqueue(job_id)
                return
            if not self._claim(job_id):
                return
            self._current.add(job_id)
        log.info("job.started", job_id=job_id, worker_id=self.worker_id)
        if first_start:
            self._notify(job_id, JobStatus.IN_PROGRESS)
        started = time.perf_counter()
        heartbeat = LeaseHeartbeat(lambda: self.heartbeat(job_id), self.settings.jobs.lease_seconds, job_id)
        heartbeat.start()
        try:
            media_seconds = self._process(job_id)
        except LeaseLost:
            log.warning("job.lease_lost", job_id=job_id, worker_id=self.worker_id)
            return
        except (JobFailed, MediaError) as exc:  # a MediaError from after recognition (bleeping) too
            code = exc.code if isinstance(exc, JobFailed) else "invalid_media"
            self._finish(job_id, kind, JobStatus.FAILED, str(exc), started, {"error": code})
        except Exception as exc:
            log.exception("job.crashed", job_id=job_id)
            self._retry_or_fail(job_id, kind, f"{type(exc).__name__}: {exc}", started)
            return
        else:
            if self._finish(job_id, kind, JobStatus.COMPLETED, None, started) and kind != "text":
                metrics.audio_processed(kind, media_seconds)
        finally:
            heartbeat.stop()
            with self._current_lock:
                self._current.discard(job_id)

    def hand_back(self, job_id: str) -> bool:
        """Give a job we hold back to the queue unfinished (shutdown); the attempt does not count."""
        with self.db.session() as session:
            handed = _changed_rows(
                session,
                update(Job)
                .where(Job.id == job_id, Job.worker_id == self.worker_id, Job.status == JobStatus.IN_PROGRESS)
                .values(
                    status=JobStatus.SCHEDULED,
                    worker_id=None,
                    lease_until=None,
                    attempts=Job.attempts - 1,
                    enqueued_at=utcnow(),
                ),
            )
        if handed:
            self.queue.enqueue(job_id)
            log.info("job.handed_back", job_id=job_id, worker_id=self.worker_id)
        return bool(handed)

    def _claim(self, job_id: str) -> bool:
        now = utcnow()
        with self.db.session() as session:
            claimed = _changed_rows(
                session,
                update(Job)
                .where(
                    Job.id == job_id,
                    (Job.status == JobStatus.SCHEDULED)
                    | ((Job.status == JobStatus.IN_PROGRESS) & (Job.lease_until < now)),
                )
                .values(
                    status=JobStatus.IN_PROGRESS,
                    worker_id=self.worker_id,
                    lease_until=now + self._lease,
                    attempts=Job.attempts + 1,
                    started_at=now,
                ),
            )
            if not claimed:
                return False
            job = session.get(Job, job_id)
            exhausted = job is not None and job.attempts > self.settings.jobs.max_attempts
            if job is not None and exhausted:
                job.status, job.finished_at, job.lease_until = JobStatus.FAILED, now, None
                job.message = job.message or "The job was interrupted too many times."
                job.result = {"error": "server_error"}
                forget_submitted_text(job)
        if exhausted and job is not None:
            log.warning("job.finished", job_id=job_id, status=JobStatus.FAILED, message=job.message)
            metrics.job_finished(job.kind, JobStatus.FAILED, 0.0)
            self._notify(job_id, JobStatus.FAILED)
            return False
        return True

    def _process(self, job_id: str) -> float:
        """Run the job's processor and store its results; returns the seconds of media processed."""
        with self.db.session() as session:
            job = session.get(Job, job_id)
            conversation = session.get(Conversation, job.conversation_id) if job else None
            if job is None or conversation is None:
                raise JobFailed("The conversation was deleted while the job was running.")
            session.expunge_all()
        processor = self.processors.get(job.kind)
        if processor is None:
            raise JobFailed(f"This server cannot process {job.kind} jobs.")
        output = processor(job, conversation)
        stored = time.perf_counter()
        with self.media.removed_on_error(output.media_path), self.db.session() as session:
            output, redaction = redacted(output, job, self.media)
            self._renew(session, job_id)
            job = session.get(Job, job_id)
            conversation = session.get(Conversation, job.conversation_id) if job else None
            if job is None or conversation is None:
                raise JobFailed("The conversation was deleted while the job was running.")
            count = store_output(session, job, conversation, output)
            if redaction.redactContent:  # the submitted text too: only the masked text is kept
                job.request = scrubbed_request(job.request, output)
        log.info("job.step.finished", job_id=job_id, step="store", messages=count,
                 seconds=round(time.perf_counter() - stored, 3))  # fmt: skip
        metrics.step_finished("store", time.perf_counter() - stored)
        if not output.insights:
            return float(output.media_seconds)
        insights_started = time.perf_counter()
        if not refresh_insights(self.db, conversation.id):
            raise JobFailed("The conversation was deleted while the job was running.")
        with self.db.session() as session:
            self._renew(session, job_id)
        log.info("job.step.finished", job_id=job_id, step="insights",
                 seconds=round(time.perf_counter() - insights_started, 3))  # fmt: skip
        metrics.step_finished("insights", time.perf_counter() - insights_started)
        return float(output.media_seconds)

    def _renew(self, session: Session, job_id: str) -> None:
        """Extend our lease; raises LeaseLost when the job is no longer ours."""
        renewed = _changed_rows(
            session,
            update(Job)
            .where(Job.id == job_id, Job.worker_id == self.worker_id, Job.status == JobStatus.IN_PROGRESS)
            .values(lease_until=utcnow() + self._lease),
        )
        if not renewed:
            raise LeaseLost(job_id)

    def _finish(
        self,
        job_id: str,
        kind: str,
        status: str,
        message: str | None,
        started: float,
        result: dict[str, Any] | None = None,
    ) -> bool:
        values: dict[str, Any] = {
            "status": status,
            "message": message,
            "finished_at": utcnow(),
            "lease_until": None,
        }
        if result is not None:
            values["result"] = result
        with self.db.session() as session:
            done = _changed_rows(
                session,
                update(Job)
                .where(Job.id == job_id, Job.worker_id == self.worker_id, Job.status == JobStatus.IN_PROGRESS)
                .values(**values),
            )
            if done and status == JobStatus.FAILED:
                forget_submitted_text(session.get(Job, job_id))
        if done:
            log.info("job.finished", job_id=job_id, status=status, message=message)
            metrics.job_finished(kind, status, time.perf_counter() - started)
            self._notify(job_id, status)
        return bool(done)

    def _retry_or_fail(self, job_id: str, kind: str, error: str, started: float) -> None:
        with self.db.session() as session:
            job = session.get(Job, job_id)
            if job is None or job.worker_id != self.worker_id or job.status != JobStatus.IN_PROGRESS:
                return
            if job.attempts >= self.settings.jobs.max_attempts:
                job.status, job.message, job.finished_at = JobStatus.FAILED, error, utcnow()
                job.result = {"error": "server_error"}
                forget_submitted_text(job)
                final = True
            else:
                job.status, job.message, job.enqueued_at = JobStatus.SCHEDULED, error, utcnow()
                final = False
            job.lease_until = None
        if final:
            metrics.job_finished(kind, JobStatus.FAILED, time.perf_counter() - started)
            self._notify(job_id, JobStatus.FAILED)
        else:
            self.queue.enqueue(job_id, delay=min(30.0, 2.0**job.attempts))

    def _notify(self, job_id: str, status: str) -> None:
        with self.db.session() as session:
            job = session.get(Job, job_id)
            url, app_id = (job.webhook_url, job.app_id) if job else (None, None)
        if url and app_id:
            self.webhooks.send(
                Delivery(url, job_id, status, webhook_secret(self._signing_key, app_id), app_id=app_id)
            )

    def heartbeat(self, job_id: str) -> bool:
        try:
            with self.db.session() as session:
                self._renew(session, job_id)
        except LeaseLost:
            return False
        return True


def _changed_rows(session: Session, statement: Update) -> int:
    result = cast(CursorResult[Any], session.execute(statement))
    return int(result.rowcount)


def _waits_for_earlier_job(session: Session, job: Job) -> bool:
    return bool(
        session.scalar(
            select(
                exists().where(
                    Job.conversation_id == job.conversation_id,
                    Job.position < job.position,
                    Job.status.in_(ACTIVE_STATUSES),
                )
            )
        )
    )
