"""A worker inside one process: the Huey consumer that runs jobs, plus a housekeeping thread that
beats this worker's heartbeat row, re-queues jobs whose worker died (expired lease) or whose
queue message was lost, and deletes transient conversations nobody waits for any more.

Many workers may share one database and queue. The reaper's re-queue is a compare-and-set on
`enqueued_at`, so when several reapers see the same stale job only one of them re-queues it.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from datetime import timedelta

import structlog
from sqlalchemy import delete, select, update
from sqlalchemy.exc import SQLAlchemyError

from convoscope.conversations.transcriptions import sweep_transient
from convoscope.ids import uuid_id
from convoscope.jobs.runner import JobRunner, Processor
from convoscope.jobs.webhooks import WebhookSender
from convoscope.services import Services
from convoscope.tables import ACTIVE_STATUSES, Job, JobStatus, WorkerBeat
from convoscope.timeutil import utcnow
from convoscope.worker.crashes import CrashReport, fail_jobs_of
from convoscope.worker.orphans import sweep_orphan_media

log = structlog.get_logger(__name__)


def new_worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid_id()[:8]}"


class Worker:
    def __init__(
        self,
        services: Services,
        processors: dict[str, Processor],
        *,
        sole_worker: bool,
        threads: int | None = None,
    ) -> None:
        self.db, self.queue, self.settings = services.db, services.queue, services.settings
        self.media = services.media
        self.worker_id = new_worker_id()
        self.runner = JobRunner(
            services, processors, self.worker_id, WebhookSender.from_settings(self.settings)
        )
        self.queue.set_handler(self.runner.run)
        # The embedded server is the only worker of its data dir: whatever was in progress when it
        # last stopped is orphaned and can be taken back at once instead of after the lease.
        self._sole_worker = sole_worker
        self.crash_report = CrashReport(self.settings.data_dir)
        self._consumer = self.queue.consumer(threads or self.settings.worker.threads)
        self._stop = threading.Event()
        self._housekeeper = threading.Thread(target=self._housekeep, name="job-reaper", daemon=True)
        self.last_beat: float | None = None  # time.monotonic() of the last heartbeat written

    @property
    def beat_interval(self) -> float:
        return max(0.5, min(10.0, self.settings.jobs.lease_seconds / 3))

    def start(self) -> None:
        self.beat()
        if self._sole_worker:  # the jobs that crashed the last process are not run again
            crashed = self.crash_report.previous()
            if crashed:
                fail_jobs_of(self.db, "%", "a fault in native code")
                log.error("worker.previous_process_crashed", report=crashed[-2000:])
            self.crash_report.arm()
        requeued = self.recover() if self._sole_worker else self.reap()
        try:
            swept = sweep_orphan_media(self.db, self.media)
        except OSError:  # an unreadable media folder must not keep the worker from starting
            log.exception("worker.media_sweep_failed")
            swept = 0
        log.info("worker.started", worker_id=self.worker_id, requeued=requeued, orphan_files=swept)
        self._consumer.start()
        self._housekeeper.start()

    def stop(self, timeout: float = 10.0) -> None:
        """Take no new job; wait up to `timeout` for running ones, then hand them back to the queue."""
        self._stop.set()
        self.runner.close()
        self._consumer.shutdown_timeout = timeout
        self._consumer.stop(graceful=True)
        handed_back = [job_id for job_id in self.runner.current_jobs() if self.runner.hand_back(job_id)]
        self.runner.webhooks.close()
        self._housekeeper.join(timeout=2)
        try:
            with self.db.session() as session:
                session.execute(delete(WorkerBeat).where(WorkerBeat.id == self.worker_id))
        except SQLAlchemyError:  # the row ages out on its own
            log.warning("worker.unregister_failed", worker_id=self.worker_id)
        if self._sole_worker:
            self.crash_report.disarm()
        log.info("worker.stopped", worker_id=self.worker_id, handed_back=len(handed_back))

    def beat(self) -> None:
        """Write this worker's heartbeat row (and forget workers silent for a long time)."""
        now = utcnow()
        with self.db.session() as session:
            beat = session.get(WorkerBeat, self.worker_id)
            if beat is None:
                host, pid = self.worker_id.split(":")[:2]
                session.add(
                    WorkerBeat(id=self.worker_id, host=host, pid=int(pid), started_at=now, beat_at=now)
                )
            else:
                beat.beat_at = now
            session.execute(delete(WorkerBeat).where(WorkerBeat.beat_at < now - timedelta(hours=1)))
        self.last_beat = time.monotonic()

    def recover(self) -> int:
        """Sole worker only: in-progress jobs are orphans of a dead process; re-queue everything."""
        now = utcnow()
        with self.db.session() as session:
            session.execute(update(Job).where(Job.status == JobStatus.IN_PROGRESS).values(lease_until=now))
            ids = session.scalars(
                select(Job.id).where(Job.status.in_(ACTIVE_STATUSES)).order_by(Job.created_at)
            ).all()
            session.execute(update(Job).where(Job.id.in_(ids)).values(enqueued_at=now))
        for job_id in ids:
            self.queue.enqueue(job_id)
        return len(ids)

    def reap(self) -> int:
        """Re-queue jobs whose lease expired, and scheduled jobs whose queue message seems lost (not
        queued for a whole lease while the queue is empty: a deep backlog is not a lost message)."""
        now = utcnow()
        stale = now - timedelta(seconds=self.settings.jobs.lease_seconds)
        not_requeued = Job.enqueued_at.is_(None) | (Job.enqueued_at < stale)
        lost = (
            (Job.status == JobStatus.IN_PROGRESS)
            & (Job.lease_until < now)
            & (not_requeued | (Job.enqueued_at < Job.lease_until))
        )
        if self.queue.pending_count() == 0:
            lost = lost | ((Job.status == JobStatus.SCHEDULED) & not_requeued)
        with self.db.session() as session:
            candidates = session.scalars(select(Job.id).where(lost).order_by(Job.created_at)).all()
            ids = [
                job_id
                for job_id in candidates  # a compare-and-set each: one reaper re-queues a given job
                if session.execute(
                    update(Job).where(Job.id == job_id, lost).values(enqueued_at=now).returning(Job.id)
                ).first()
            ]
        for job_id in ids:
            log.warning("job.requeued", job_id=job_id)
            self.queue.enqueue(job_id)
        return len(ids)

    def sweep(self) -> int:
        """Delete transient conversations (requests not kept) older than any request waits: their
        caller went away, or the API node that should have deleted them died."""
        waited = self.settings.openai.wait_seconds + 5 * 60  # a margin for clocks that differ
        return sweep_transient(self.db, self.media, timedelta(seconds=waited))

    def _housekeep(self) -> None:
        reap_every = max(1.0, self.settings.jobs.lease_seconds / 2)
        next_reap = time.monotonic() + reap_every
        while not self._stop.wait(self.beat_interval):
            try:
                self.beat()
                if time.monotonic() >= next_reap:
                    next_reap = time.monotonic() + reap_every
                    self.reap()
                    self.sweep()
            except Exception:  # database or queue down: keep beating and reaping once they are back
                log.exception("worker.housekeeping_failed")
