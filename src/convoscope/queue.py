"""The Huey queue: `SqliteHuey` in the data dir by default, `RedisHuey` when a Redis URL is set.

Huey only carries job ids; the job's state lives in our `jobs` table.

A SQLite queue is polled: an idle consumer looks every 0.5 s at most, so a job submitted to an idle
embedded server waited up to that long before it started. A job enqueued in the consumer's own
process (the embedded server: API and worker in one) now wakes it at once; a job from another
process is still found by the poll (Redis blocks on the queue instead, and needs neither).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import structlog
from huey import Huey, RedisHuey, SqliteHuey
from huey.consumer import Consumer, Worker

from convoscope.config import Settings

log = structlog.get_logger(__name__)

RUN_JOB_TASK = "convoscope.run_job"


class JobQueue:
    """Puts job ids on the queue; the same object runs a consumer when this process is a worker."""

    def __init__(self, settings: Settings, handler: Callable[[str], Any] | None = None) -> None:
        self.huey = build_huey(settings)
        self._handler = handler
        self._task = self.huey.task(name=RUN_JOB_TASK)(self._run)
        self._wakeup = threading.Event()  # set when this process enqueues: its consumer looks now

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
            self._wakeup.set()  # after the message is stored, so the woken consumer finds it

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

    def consumer(self, workers: int, *, first_delay: float = 0.05, max_delay: float = 0.5) -> Consumer:
        """A consumer of `workers` threads; an idle one polls after `first_delay` seconds, then
        less and less often, down to every `max_delay` seconds."""
        return _QuietConsumer(
            self.huey, self._wakeup, workers=workers, worker_type="thread", periodic=False,
            initial_delay=first_delay, backoff=1.5, max_delay=max_delay, check_worker_health=True,
        )  # fmt: skip


class _WakeableWorker(Worker):
    """A consumer thread whose wait between polls ends early when this process enqueues a job."""

    wakeup: threading.Event
    delay: float  # huey's attributes, untyped there
    default_delay: float
    max_delay: float
    backoff: float

    def sleep(self) -> None:
        self.delay = min(self.delay, self.max_delay)
        woken = self.wakeup.wait(self.delay)
        # Cleared before the next look at the queue: a job enqueued from here on sets it again.
        self.wakeup.clear()
        self.delay = self.default_delay if woken else self.delay * self.backoff


class _QuietConsumer(Consumer):
    """A consumer that leaves signal handling to its host (uvicorn or our worker command), and
    whose threads wake when `wakeup` is set."""

    def __init__(self, huey: Huey, wakeup: threading.Event, **options: Any) -> None:
        self._wakeup = wakeup
        super().__init__(huey, **options)

    def _create_worker(self) -> Worker:
        worker = _WakeableWorker(
            huey=self.huey, stop_flag=self.stop_flag, default_delay=self.default_delay,
            max_delay=self.max_delay, backoff=self.backoff, max_tasks=self.max_tasks,
        )  # fmt: skip
        worker.wakeup = self._wakeup
        return worker

    def stop(self, graceful: bool = False) -> None:
        self.stop_flag.set()
        self._wakeup.set()  # a sleeping thread sees the stop flag now, not at its next poll
        super().stop(graceful)

    def _set_signal_handlers(self) -> None:
        return None


def build_huey(settings: Settings) -> Huey:
    if settings.queue_url:
        if not settings.queue_url.startswith(("redis://", "rediss://", "unix://")):
            raise ValueError(f"unsupported queue URL {settings.queue_url!r}: use redis://host:port/db")
        return RedisHuey(settings.queue_name, url=settings.queue_url, results=False)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return SqliteHuey(settings.queue_name, filename=str(settings.data_dir / "queue.db"), results=False)
