"""The per-app concurrent-job limit (429) holds across API nodes sharing one database."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from tests.fixtures.cluster import MakeCluster

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.slow]


def test_job_limit_holds_across_api_nodes(make_cluster: MakeCluster) -> None:
    deployment = make_cluster(CONVOSCOPE_MAX_CONCURRENT_JOBS="4")
    apis = [deployment.start_api(), deployment.start_api()]  # no worker: every job stays scheduled
    deployment.wait_ready()
    token = deployment.token(apis[0])  # one token works on every node (shared signing key)

    def submit(number: int) -> int:
        body = {"messages": [{"payload": {"content": f"Message {number}."}}]}
        response = httpx.post(
            f"{apis[number % 2].url}/v1/process/text", json=body, headers={"x-api-key": token}, timeout=60
        )
        return response.status_code

    with ThreadPoolExecutor(max_workers=16) as pool:
        codes = sorted(pool.map(submit, range(24)))
    assert codes.count(201) == 4 and codes.count(429) == 20, codes
    assert deployment.sql("SELECT count(*) FROM jobs")[0][0] == 4
    assert deployment.sql("SELECT count(*) FROM conversations")[0][0] == 4
