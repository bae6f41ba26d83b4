"""Prometheus metrics: a few recording functions for the API and the job runner, and the exposition.

Counters and histograms are created on first use (nothing happens at import). Jobs by status and
queue depth are read from the database and the queue when scraped, so every node reports the same
cluster-wide figures.

A `convoscope worker` node runs several processes; it sets `PROMETHEUS_MULTIPROC_DIR` before it
starts them, each process writes its samples there (prometheus_client's multiprocess mode) and the
supervisor serves the sum on `--metrics-port`. API nodes are one process each and serve `/metrics`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import func, select

from convoscope.db import Database
from convoscope.queue import JobQueue
from convoscope.tables import Job, JobStatus

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"  # read by prometheus_client itself
_DURATION_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600)


@dataclass(frozen=True)
class _Instruments:
    requests: Counter
    request_seconds: Histogram
    jobs_finished: Counter
    job_seconds: Histogram
    step_seconds: Histogram
    audio_seconds: Counter


@cache
def _instruments() -> _Instruments:
    return _Instruments(
        requests=Counter(
            "convoscope_http_requests", "HTTP requests answered.", ["method", "route", "status"]
        ),
        request_seconds=Histogram(
            "convoscope_http_request_seconds", "HTTP request latency.", ["method", "route"]
        ),
        jobs_finished=Counter(
            "convoscope_jobs_finished", "Jobs that reached a final status.", ["kind", "status"]
        ),
        job_seconds=Histogram(
            "convoscope_job_seconds", "Wall time of one job attempt.", ["kind"], buckets=_DURATION_BUCKETS
        ),
        step_seconds=Histogram(
            "convoscope_job_step_seconds",
            "Wall time of one pipeline step.",
            ["step"],
            buckets=_DURATION_BUCKETS,
        ),
        audio_seconds=Counter(
            "convoscope_audio_processed_seconds", "Seconds of audio/video media processed.", ["kind"]
        ),
    )


def request_served(method: str, route: str, status: int, seconds: float) -> None:
    metrics = _instruments()
    metrics.requests.labels(method, route, str(status)).inc()
    metrics.request_seconds.labels(method, route).observe(seconds)


def job_finished(kind: str, status: str, seconds: float) -> None:
    metrics = _instruments()
    metrics.jobs_finished.labels(kind, status).inc()
    metrics.job_seconds.labels(kind).observe(seconds)


def step_finished(step: str, seconds: float) -> None:
    """A pipeline step (decode, transcribe, diarize, store, insights...) took `seconds`."""
    _instruments().step_seconds.labels(step).observe(seconds)


def audio_processed(kind: str, seconds: float) -> None:
    if seconds > 0:
        _instruments().audio_seconds.labels(kind).inc(seconds)


class ClusterCollector(Collector):
    """Jobs by status and queue depth, read at scrape time from the shared database and queue."""

    def __init__(self, db: Database, queue: JobQueue) -> None:
        self._db, self._queue = db, queue

    def collect(self) -> Iterator[GaugeMetricFamily]:
        jobs = GaugeMetricFamily("convoscope_jobs", "Jobs by status (all apps).", labels=["status"])
        with self._db.session() as session:
            rows = session.execute(select(Job.status, func.count()).group_by(Job.status)).all()
        counts = {status.value: 0 for status in JobStatus}
        counts.update({str(status): int(count) for status, count in rows})
        for status, count in sorted(counts.items()):
            jobs.add_metric([status], count)
        yield jobs
        depth = GaugeMetricFamily("convoscope_queue_depth", "Job ids waiting on the queue.")
        depth.add_metric([], self._queue.pending_count())
        yield depth


def exposition(extra: Collector | None = None, multiprocess_dir: str | None = None) -> Callable[[], bytes]:
    """A function that renders this process's metrics or, given `multiprocess_dir`, the sum of the
    samples every process of this node wrote there; `extra` (cluster figures) is appended."""
    from prometheus_client import REGISTRY

    registry = REGISTRY
    if multiprocess_dir:
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry, path=multiprocess_dir)
    cluster = CollectorRegistry(auto_describe=False)
    if extra is not None:
        cluster.register(extra)

    def render() -> bytes:
        return generate_latest(registry) + generate_latest(cluster)

    return render
