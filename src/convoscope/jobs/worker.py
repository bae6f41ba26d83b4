"""A worker inside one process: the Huey consumer that runs jobs, plus the reaper that re-queues
jobs whose worker died (expired lease) or whose queue message was lost."""

from __future__ import annotations

import os
import socket
import threading
from datetime import timedelta

import structlog
from sqlalchemy import select, update

from convoscope.config import Settings
from convoscope.db import Database
from convoscope.ids import uuid_id
from convoscope.jobs.queue import JobQueue
from convoscope.jobs.runner import JobRunner, Processor
from convoscope.tables import Job
from convoscope.timeutil import utcnow

log = structlog.get_logger(__name__)


def new_worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid_id()[:8]}"


class Worker:
    def __init__(
        self,
        db: Database,
        queue: JobQueue,
        settings: Settings,
        processors: dict[str, Processor],
        *,
        sole_worker: bool,
        threads: int | None = None,
    ) -> None:
        self.db, self.queue, self.settings = db, queue, settings
        self.worker_id = new_worker_id()
        self.runner = JobRunner(db, queue, settings, processors, self.worker_id)
        queue.set_handler(self.runner.run)
        # The embedded server is the only worker of its data dir: whatever was in progress when it
        # last stopped is orphaned and can be taken back at once instead of after the lease.
        self._sole_worker = sole_worker
        self._consumer = queue.consumer(threads or settings.worker_threads)
        self._stop = threading.Event()
        self._reaper = threading.Thread(target=self._reap_forever, name="job-reaper", daemon=True)

    def start(self) -> None:
        requeued = self.recover()
        log.info("worker.started", worker_id=self.worker_id, requeued=requeued)
        self._consumer.start()
        self._reaper.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._consumer.shutdown_timeout = timeout
        self._consumer.stop(graceful=True)
        self._reaper.join(timeout=2)
        log.info("worker.stopped", worker_id=self.worker_id)

    def recover(self) -> int:
        """Re-queue unfinished jobs; on a sole worker, in-progress jobs are orphans of a dead process."""
        now = utcnow()
        with self.db.session() as session:
            if self._sole_worker:
                session.execute(update(Job).where(Job.status == "in_progress").values(lease_until=now))
            ids = session.scalars(
                select(Job.id).where(Job.status.in_(("scheduled", "in_progress"))).order_by(Job.created_at)
            ).all()
            session.execute(update(Job).where(Job.id.in_(ids)).values(enqueued_at=now))
        for job_id in ids:
            self.queue.enqueue(job_id)
        return len(ids)

    def reap(self) -> int:
        """Re-queue jobs with an expired lease and scheduled jobs not queued for a whole lease."""
        now = utcnow()
        stale = now - timedelta(seconds=self.settings.job_lease_seconds)
        with self.db.session() as session:
            ids = session.scalars(
                select(Job.id).where(
                    ((Job.status == "in_progress") & (Job.lease_until < now))
                    | ((Job.status == "scheduled") & (Job.enqueued_at < stale))
                )
            ).all()
            if ids:
                session.execute(update(Job).where(Job.id.in_(ids)).values(enqueued_at=now))
        for job_id in ids:
            log.warning("job.requeued", job_id=job_id)
            self.queue.enqueue(job_id)
        return len(ids)

    def _reap_forever(self) -> None:
        interval = max(1.0, self.settings.job_lease_seconds / 2)
        while not self._stop.wait(interval):
            try:
                self.reap()
            except Exception:
                log.exception("worker.reap_failed")
