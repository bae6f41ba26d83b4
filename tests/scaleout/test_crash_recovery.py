"""Two API nodes and two worker nodes on loopback; a worker is SIGKILLed while it holds a job, and
every job still completes exactly once with the right results."""

from __future__ import annotations

import os
import signal
import time

import httpx
import pytest

from tests.fixtures.cluster import Cluster, MakeCluster
from tests.fixtures.servers import free_port
from tests.fixtures.workload import Expected, audio_job, check_results, text_job, text_lines, wait_all

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.slow]


def test_sigkilled_worker_loses_nothing(make_cluster: MakeCluster) -> None:
    deployment = make_cluster(CONVOSCOPE_JOB_LEASE_SECONDS="3", CONVOSCOPE_ASR_MODEL="tiny.en")
    apis = [deployment.start_api(), deployment.start_api()]
    metrics_port = free_port()
    deployment.start_worker(metrics_port=metrics_port)
    deployment.start_worker()
    deployment.wait_ready()
    tokens = [deployment.token(api) for api in apis]

    expected: list[Expected] = []
    for number in range(6):
        api, token = apis[number % 2], tokens[number % 2]
        conversation_id, job_id = text_job(api, token, number)
        expected.append(Expected(conversation_id, [job_id], texts=text_lines(number)))
    # One conversation appended to through both nodes: its jobs must apply in order across workers.
    appended = Expected("", texts=[])
    for step, number in enumerate((10, 11, 12)):
        conversation_id, job_id = text_job(
            apis[step % 2], tokens[step % 2], number, appended.conversation_id or None
        )
        appended.conversation_id = conversation_id
        appended.job_ids.append(job_id)
        assert appended.texts is not None
        appended.texts += text_lines(number)
    expected.append(appended)
    for number in range(2):
        conversation_id, job_id = audio_job(apis[number], tokens[number])
        expected.append(Expected(conversation_id, [job_id], audio=True))

    victim_job, victim_pid = _kill_a_worker_holding_a_job(deployment)
    all_ids = [job_id for item in expected for job_id in item.job_ids]
    final = wait_all(apis[0].url or "", tokens[0], all_ids, timeout=420)

    assert {body["status"] for body in final.values()} == {"completed"}, final
    check_results(deployment, apis[1], tokens[1], expected)
    ((attempts, worker_id),) = deployment.sql(
        "SELECT attempts, worker_id FROM jobs WHERE id = :id", id=victim_job
    )
    assert attempts == 2 and f":{victim_pid}:" not in worker_id
    node = httpx.get(f"http://127.0.0.1:{metrics_port}/readyz", timeout=10)
    assert node.status_code == 200, node.text
    scrape = httpx.get(f"http://127.0.0.1:{metrics_port}/metrics", timeout=10).text
    assert 'convoscope_jobs{status="completed"} 11.0' in scrape


def _kill_a_worker_holding_a_job(deployment: Cluster) -> tuple[str, int]:
    """SIGKILL the worker process that holds the first running job (its pid is in the worker id)."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        rows = deployment.sql(
            "SELECT id, worker_id FROM jobs WHERE status = 'in_progress' ORDER BY started_at"
        )
        if rows:
            job_id, worker_id = rows[0]
            pid = int(worker_id.split(":")[1])
            os.kill(pid, signal.SIGKILL)
            return str(job_id), pid
        time.sleep(0.05)
    raise AssertionError("no job was ever in progress")
