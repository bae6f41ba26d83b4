"""The Huey queue: `SqliteHuey` in the data dir by default, `RedisHuey` when a Redis URL is set.

Huey only carries job ids; the job's state lives in our `jobs` table.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import structlog
from huey import Huey, RedisHuey, SqliteHuey
from huey.consumer import Consumer

from convoscope.config import Settings

log = structlog.get_logger(__name__)

RUN_JOB_TASK = "convoscope.run_job"


class JobQueue:
    """Puts job ids on the queue; the same object runs a consumer when this process is a worker."""

    def __init__(self, settings: Settings, handler: Callable[[str], Any] | None = None) -> None:
        self.huey = build_huey(settings)
        self._handler = handler
        self._task = self.huey.task(name=RUN_JOB_TASK)(self._run)

    def _run(self, job_id: str) -> None:
        if self._handler is None:
            raise RuntimeError("this process has no job handler")
        self._handler(job_id)

    def set_handler(self, handler: Callable[[str], Any]) -> None:
        self._handler = handler

    def enqueue(self, job_id: str, delay: float = 0.0) -> None:
        if delay > 0:
            self._task.schedule(args=(job_id,), delay=delay)
        else:
            self._task(job_id)

    def try_enqueue(self, job_id: str) -> bool:
        """Enqueue a job that is already stored; False (logged) when the queue does not answer.

        Losing the message loses nothing: the job row stays `scheduled`, and a worker's reaper
        re-queues scheduled jobs whose message did not arrive (`Worker.reap`).
        """
        try:
            self.enqueue(job_id)
        except Exception as exc:  # Redis down, SQLite queue file locked or gone: any backend error
            log.warning("queue.enqueue_failed", job_id=job_id, error=f"{type(exc).__name__}: {exc}")
            return False
        return True

    def pending_count(self) -> int:
        return int(self.huey.pending_count())

    def consumer(self, workers: int) -> Consumer:
        return _QuietConsumer(
            self.huey, workers=workers, worker_type="thread", periodic=False, initial_delay=0.05,
            backoff=1.5, max_delay=0.5, check_worker_health=True,
        )  # fmt: skip


class _QuietConsumer(Consumer):
    """A consumer that leaves signal handling to its host (uvicorn or our worker command)."""

    def _set_signal_handlers(self) -> None:
        return None


def build_huey(settings: Settings) -> Huey:
    if settings.queue_url:
        if not settings.queue_url.startswith(("redis://", "rediss://", "unix://")):
            raise ValueError(f"unsupported queue URL {settings.queue_url!r}: use redis://host:port/db")
        return RedisHuey(settings.queue_name, url=settings.queue_url, results=False)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return SqliteHuey(settings.queue_name, filename=str(settings.data_dir / "queue.db"), results=False)
