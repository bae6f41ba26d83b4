"""Scale-out fixtures: a fresh PostgreSQL database and Redis queue name per test (other test runs
may share the servers), processes started as an operator would start them."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import httpx
import pytest

from convoscope.ids import uuid_id
from tests import backends
from tests.scaleout.cluster import Cluster, cluster

MakeCluster = Callable[..., Cluster]


@pytest.fixture
def make_cluster(tmp_path: Path) -> Iterator[MakeCluster]:
    """`make_cluster(**CONVOSCOPE_settings)`: an empty migrated deployment, torn down afterwards."""
    server, redis_url = backends.require_services()
    with ExitStack() as stack:
        queue_name = f"cvscale-{uuid_id()[:8]}"
        stack.callback(backends.delete_redis_keys, redis_url, queue_name)

        def make(**settings: str) -> Cluster:
            database_url = stack.enter_context(backends.temporary_database(server))
            return stack.enter_context(cluster(database_url, redis_url, tmp_path, queue_name, **settings))

        yield make


def wait_all(api_url: str, token: str, job_ids: list[str], timeout: float = 300) -> dict[str, dict[str, Any]]:
    """Poll the Job API until every job is final; returns id -> body."""
    import time

    final: dict[str, dict[str, Any]] = {}
    deadline = time.monotonic() + timeout
    with httpx.Client(base_url=api_url, headers={"x-api-key": token}, timeout=30) as client:
        while len(final) < len(job_ids):
            assert time.monotonic() < deadline, f"unfinished: {set(job_ids) - set(final)}"
            for job_id in job_ids:
                if job_id not in final:
                    body = client.get(f"/v1/job/{job_id}").json()
                    if body["status"] in ("completed", "failed"):
                        final[job_id] = body
            time.sleep(0.5)
    return final
