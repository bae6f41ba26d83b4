"""Jobs whose process crashed end `failed` at once, instead of being run again to crash it again.

A native fault (SIGSEGV, SIGABRT, SIGBUS, SIGILL, SIGFPE) on a job's input would fault again on
every retry. Media decoding runs in a child process (`pipeline.isolated`), so its faults fail only
their job; these are for what remains in the worker's own process:

- the embedded server (`CrashReport`): faulthandler writes a report into the data dir when the
  process faults; the next start finds it and fails the jobs that were in progress;
- a worker node (`fail_jobs_of`): the supervisor sees a worker process end by one of those signals
  and fails the jobs that process held.

A process that is killed (SIGKILL: the OOM killer, an operator) or loses power leaves no report:
its jobs are run again as before, up to `jobs.max_attempts`.
"""

from __future__ import annotations

import faulthandler
import signal
import sys
from pathlib import Path
from typing import TextIO

import structlog
from sqlalchemy import select, update

from convoscope.db import Database
from convoscope.tables import Job, JobStatus
from convoscope.timeutil import utcnow

log = structlog.get_logger(__name__)

CRASH_SIGNALS = frozenset({signal.SIGSEGV, signal.SIGABRT, signal.SIGBUS, signal.SIGILL, signal.SIGFPE})


def crash_message(cause: str) -> str:
    return (
        f"The job crashed the process running it ({cause}); it was not run again, as it would crash "
        "again. The media may be damaged or of a kind the server cannot handle."
    )


def fail_jobs_of(db: Database, worker_ids: str, cause: str) -> list[str]:
    """Fail the in-progress jobs whose `worker_id` matches the LIKE pattern `worker_ids`."""
    where = (Job.worker_id.like(worker_ids), Job.status == JobStatus.IN_PROGRESS)
    with db.session() as session:
        ids = list(session.scalars(select(Job.id).where(*where)))
        if ids:
            session.execute(
                update(Job)
                .where(Job.id.in_(ids), *where)
                .values(
                    status=JobStatus.FAILED,
                    message=crash_message(cause),
                    result={"error": "server_error"},
                    finished_at=utcnow(),
                    lease_until=None,
                )
            )
    for job_id in ids:
        log.error("job.crashed_process", job_id=job_id, cause=cause)
    return ids


class CrashReport:
    """The embedded server's fault report (`crash.log` in the data dir)."""

    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / "crash.log"
        self._file: TextIO | None = None
        self._was_enabled = False  # faulthandler was on before (to stderr): back on at a clean stop

    def previous(self) -> str | None:
        """What the last process wrote when it faulted; None when it did not fault."""
        try:
            text = self.path.read_text(errors="replace").strip()
        except FileNotFoundError:
            return None
        return text or None

    def arm(self) -> None:
        """From now on, a fault of this process writes its report (and the thread stacks) here."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._was_enabled = faulthandler.is_enabled()
        self._file = self.path.open("w")
        faulthandler.enable(file=self._file, all_threads=True)

    def disarm(self) -> None:
        """A clean stop: no report, none left behind."""
        if self._file is None:
            return
        if self._was_enabled:
            faulthandler.enable(file=sys.__stderr__ or sys.stderr, all_threads=True)
        else:
            faulthandler.disable()
        self._file.close()
        self._file = None
        self.path.unlink(missing_ok=True)
