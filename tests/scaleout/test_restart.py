"""Stop the whole deployment with jobs queued and running, start it again: every job completes."""

from __future__ import annotations

import time

import pytest

from tests.fixtures.cluster import MakeCluster
from tests.fixtures.workload import Expected, audio_job, check_results, text_job, text_lines, wait_all

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.slow]


def test_full_restart_with_jobs_queued_and_running(make_cluster: MakeCluster) -> None:
    deployment = make_cluster(CONVOSCOPE_JOB_LEASE_SECONDS="3")
    api = deployment.start_api()
    deployment.start_worker(concurrency=2, grace_seconds=0)
    deployment.wait_ready()
    token = deployment.token(api)
    # The audio job runs for seconds, so it is surely running when the stop comes; text jobs take
    # a tenth of a second once the models are warm and may all be done by then.
    conversation_id, running_job = audio_job(api, token)
    expected = [Expected(conversation_id, [running_job], audio=True)]
    for number in range(8):
        conversation_id, job_id = text_job(api, token, number)
        expected.append(Expected(conversation_id, [job_id], texts=text_lines(number)))
    _wait_for(
        lambda: deployment.sql("SELECT 1 FROM jobs WHERE id = :id AND status = 'in_progress'", id=running_job)
    )

    # SIGTERM with no grace: running jobs are handed back to the queue at once, the attempt uncounted.
    deployment.stop()
    statuses = dict(deployment.sql("SELECT id, status FROM jobs"))
    assert "in_progress" not in statuses.values(), statuses
    assert statuses[running_job] == "scheduled"
    assert deployment.sql("SELECT attempts FROM jobs WHERE id = :id", id=running_job) == [(0,)]
    handed_back = {e.get("job_id") for e in deployment.all_events() if e.get("event") == "job.handed_back"}
    assert running_job in handed_back

    api = deployment.start_api()
    deployment.start_worker(concurrency=1)
    deployment.wait_ready()
    token = deployment.token(api)
    final = wait_all(api.url or "", token, [item.job_ids[0] for item in expected], timeout=300)
    assert {body["status"] for body in final.values()} == {"completed"}, final
    check_results(deployment, api, token, expected)


def _wait_for(condition: object, timeout: float = 120) -> None:
    assert callable(condition)
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition never held"
        time.sleep(0.05)
