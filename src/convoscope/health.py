"""Readiness checks shared by API nodes (`/readyz`) and worker nodes (their metrics port).

A check never raises: it reports what it found, and readiness is the AND of the checks that count.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, Protocol

from sqlalchemy import func, select, text

from convoscope.db import Database
from convoscope.queue import JobQueue
from convoscope.tables import WorkerBeat
from convoscope.timeutil import utcnow


class Beating(Protocol):
    """A worker as readiness sees it: when it last wrote its heartbeat, and how often it should."""

    @property
    def last_beat(self) -> float | None:  # time.monotonic() of the last heartbeat, None before the first
        ...

    @property
    def beat_interval(self) -> float: ...


@dataclass
class Report:
    checks: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def ready(self) -> bool:
        return all(check["ok"] for check in self.checks.values())

    def add(self, name: str, ok: bool, **detail: Any) -> None:
        self.checks[name] = {"ok": ok, **detail}

    def body(self) -> dict[str, Any]:
        return {"status": "ready" if self.ready else "unavailable", "checks": self.checks}


def check_database(report: Report, db: Database) -> None:
    try:
        with db.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as exc:
        report.add("database", False, error=type(exc).__name__)
    else:
        report.add("database", True, backend=db.engine.url.get_backend_name())


def check_queue(report: Report, queue: JobQueue) -> None:
    try:
        depth = queue.pending_count()
    except Exception as exc:
        report.add("queue", False, error=type(exc).__name__)
    else:
        report.add("queue", True, depth=depth)


def check_own_worker(report: Report, worker: Beating) -> None:
    """The worker inside this process wrote its heartbeat within three beat intervals."""
    age = None if worker.last_beat is None else time.monotonic() - worker.last_beat
    report.add("worker", age is not None and age < 3 * worker.beat_interval + 1, heartbeat_age=age)


def live_workers(db: Database, within_seconds: float) -> list[tuple[str, int]]:
    """(host, pid) of every worker process whose heartbeat is younger than `within_seconds`."""
    since = utcnow() - timedelta(seconds=within_seconds)
    with db.session() as session:
        rows = session.execute(select(WorkerBeat.host, WorkerBeat.pid).where(WorkerBeat.beat_at >= since))
        return [(str(host), int(pid)) for host, pid in rows]


def report_cluster_workers(report: Report, db: Database, within_seconds: float) -> None:
    """Informational on an API node: jobs queue up (and the API stays ready) while no worker runs."""
    try:
        with db.session() as session:
            since = utcnow() - timedelta(seconds=within_seconds)
            count = session.scalar(select(func.count()).where(WorkerBeat.beat_at >= since))
    except Exception as exc:
        report.add("workers", False, error=type(exc).__name__)
    else:
        report.add("workers", True, live=int(count or 0))


def check_node_workers(
    report: Report, db: Database, host: str, pids: Iterable[int], within_seconds: float
) -> None:
    """Every worker process this node supervises is alive and beating."""
    expected = set(pids)
    try:
        beating = {pid for beat_host, pid in live_workers(db, within_seconds) if beat_host == host}
    except Exception as exc:
        report.add("workers", False, error=type(exc).__name__)
        return
    silent = sorted(expected - beating)
    report.add("workers", bool(expected) and not silent, processes=len(expected), silent=silent)
