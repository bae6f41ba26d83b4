"""A worker node: N worker processes (spawned, each with its own consumer, job runner and model pool)
under one supervisor that restarts a process that dies and stops them all on SIGTERM.

Shutdown: SIGTERM (or SIGINT) reaches the supervisor, which passes SIGTERM to every process. Each
process stops taking jobs, lets its running job finish for up to `grace_seconds`, then hands it
back (`scheduled`, re-queued, the attempt not counted) and exits. A process killed outright
(SIGKILL, OOM, power loss) loses nothing either: its lease expires and any worker re-queues the job.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import socket
import tempfile
import threading
import time
from dataclasses import dataclass, field
from multiprocessing.process import BaseProcess
from pathlib import Path
from types import FrameType

import structlog

from convoscope import metrics
from convoscope.config import Settings
from convoscope.db import Database
from convoscope.logs import configure_logging
from convoscope.services import SchemaOutdated, prepare_schema
from convoscope.worker.crashes import CRASH_SIGNALS, fail_jobs_of

log = structlog.get_logger(__name__)

EXIT_CONFIG = 78  # EX_CONFIG: a process that cannot start (schema behind...) is not restarted
_RESTART_BACKOFF_MAX = 30.0


@dataclass
class _Slot:
    index: int
    process: BaseProcess
    started: float = field(default_factory=time.monotonic)
    backoff: float = 1.0


class Supervisor:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.concurrency, self.grace_seconds = settings.worker.processes, settings.worker.grace_seconds
        self.host = socket.gethostname()
        self._context = multiprocessing.get_context("spawn")
        self._slots: dict[int, _Slot] = {}
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self.exit_code = 0

    def pids(self) -> list[int]:
        with self._lock:
            return [s.process.pid for s in self._slots.values() if s.process.pid and s.process.is_alive()]

    def run(self) -> int:
        """Start the processes and supervise them until a stop signal; returns the exit code."""
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, self._on_signal)
        for index in range(self.concurrency):
            self._start(index)
        log.info("worker_node.started", processes=self.concurrency, pids=self.pids())
        while not self._stopping.wait(0.5):
            self._restart_dead()
        self._stop_all()
        log.info("worker_node.stopped", exit_code=self.exit_code)
        return self.exit_code

    def stop(self) -> None:
        self._stopping.set()

    def _on_signal(self, signum: int, _frame: FrameType | None) -> None:
        log.info("worker_node.stopping", signal=signal.Signals(signum).name)
        self._stopping.set()

    def _start(self, index: int, backoff: float = 1.0) -> None:
        process = self._context.Process(
            target=run_worker_process,
            args=(self.settings, index, os.getpid(), self.grace_seconds),
            name=f"convoscope-worker-{index}",
        )
        process.start()
        with self._lock:
            self._slots[index] = _Slot(index, process, backoff=backoff)

    def _restart_dead(self) -> None:
        with self._lock:
            dead = [slot for slot in self._slots.values() if not slot.process.is_alive()]
        for slot in dead:
            code = slot.process.exitcode
            log.warning("worker_node.process_exited", index=slot.index, pid=slot.process.pid, exitcode=code)
            if code is not None and -code in CRASH_SIGNALS:
                self._fail_jobs_of(slot.process.pid, signal.Signals(-code).name)
            if code == EXIT_CONFIG:
                self.exit_code = EXIT_CONFIG
                self._stopping.set()
                return
            # A process that dies soon after starting is restarted ever more slowly.
            quick = time.monotonic() - slot.started < _RESTART_BACKOFF_MAX
            backoff = min(_RESTART_BACKOFF_MAX, slot.backoff * 2) if quick else 1.0
            if quick and self._stopping.wait(slot.backoff):
                return
            self._start(slot.index, backoff)

    def _fail_jobs_of(self, pid: int | None, cause: str) -> None:
        """A worker process faulted: the jobs it held would fault again, so they fail now."""
        database = Database(self.settings.resolved_database_url)
        try:
            fail_jobs_of(database, f"{self.host}:{pid}:%", cause)
        except Exception:  # the database is down: the jobs' leases expire and they run again
            log.exception("worker_node.crashed_jobs_not_failed", pid=pid)
        finally:
            database.dispose()

    def _stop_all(self) -> None:
        with self._lock:
            processes = [slot.process for slot in self._slots.values()]
        for process in processes:
            if process.is_alive() and process.pid:
                os.kill(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + self.grace_seconds + 15
        for process in processes:
            process.join(timeout=max(0.1, deadline - time.monotonic()))
            if process.is_alive():
                log.warning("worker_node.process_killed", pid=process.pid)
                process.kill()
                process.join(timeout=5)


def run_worker_process(settings: Settings, index: int, parent_pid: int, grace_seconds: float) -> None:
    """Body of one worker process (spawned: nothing is inherited but the arguments)."""
    from convoscope.jobs.processors import build_processors
    from convoscope.services import Services
    from convoscope.worker.consumer import Worker

    configure_logging(settings.log.level, settings.log.json_lines)
    structlog.contextvars.bind_contextvars(process_index=index)
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda _signum, _frame: stop.set())
    try:
        services = Services.open(settings)
    except SchemaOutdated as exc:
        log.error("worker.schema_outdated", error=str(exc))
        raise SystemExit(EXIT_CONFIG) from exc
    worker = Worker(services, build_processors(settings), sole_worker=False)
    worker.start()
    while not stop.wait(1.0):
        if os.getppid() != parent_pid:  # the supervisor died: do not run on unsupervised
            log.warning("worker.orphaned", worker_id=worker.worker_id)
            break
    worker.stop(timeout=grace_seconds)
    services.close()


def check_schema(settings: Settings) -> None:
    """Fail fast, before starting any process, when the shared schema is behind."""
    database = Database(settings.resolved_database_url)
    try:
        prepare_schema(database, settings)
    finally:
        database.dispose()


def metrics_directory() -> Path:
    """A fresh directory for the processes' metric samples (prometheus_client multiprocess mode);
    set in the environment before any process starts, so every one of them inherits it."""
    path = Path(tempfile.mkdtemp(prefix="convoscope-metrics-"))
    os.environ[metrics.MULTIPROC_ENV] = str(path)
    return path
