"""Scale-out fixtures: a fresh PostgreSQL database and Redis queue name per test (other test runs
may share the servers), processes started as an operator would start them."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest

from convoscope.ids import uuid_id
from tests.fixtures import backends
from tests.fixtures.cluster import Cluster, MakeCluster, cluster


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
