"""Shared by the scale-out benchmarks: a deployment on loopback (the same helper the scale-out
tests use) on either the embedded default or PostgreSQL + Redis."""

from __future__ import annotations

import os
import statistics
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.fixtures import backends  # noqa: E402
from tests.fixtures.cluster import Cluster, cluster  # noqa: E402

POSTGRES = os.environ.get("CONVOSCOPE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
REDIS = os.environ.get("CONVOSCOPE_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


@contextmanager
def deployment(backend: str, root: Path, **settings: str) -> Iterator[Cluster]:
    """An empty deployment; `backend` is "sqlite" (embedded default) or "postgres" (+ Redis)."""
    queue_name = f"cvbench-{os.getpid()}-{backend}"
    if backend == "sqlite":
        with cluster("", "", root, queue_name, **settings) as made:
            yield made
        return
    with (
        backends.temporary_database(POSTGRES) as url,
        cluster(url, REDIS, root, queue_name, **settings) as made,
    ):
        try:
            yield made
        finally:
            backends.delete_redis_keys(REDIS, queue_name)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def summary(values: list[float]) -> str:
    return (
        f"p50 {percentile(values, 0.5) * 1000:7.1f} ms  p99 {percentile(values, 0.99) * 1000:7.1f} ms"
        f"  mean {statistics.mean(values) * 1000:7.1f} ms"
    )
