"""A job that crashes the process running it ends `failed` at once, with a message, instead of being
run again (and crashing it again) until its attempts run out."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from convoscope.api.app import create_app
from convoscope.tables import Job, JobStatus
from convoscope.worker.crashes import fail_jobs_of
from tests.fixtures.api import get_token, text_body, wait_for_job
from tests.fixtures.settings import make_settings

ROOT = Path(__file__).resolve().parents[2]


def test_a_job_that_crashed_the_embedded_server_fails_when_it_starts_again(
    tmp_path: Path, backend: str
) -> None:
    if backend != "sqlite":
        pytest.skip("the crashing server runs in a process of its own, on the embedded default (SQLite)")
    data_dir = tmp_path / "data"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)])}
    crashed = subprocess.run(
        [sys.executable, "-m", "tests.fixtures.crashing", str(data_dir)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert crashed.returncode == -signal.SIGABRT, crashed.stderr[-3000:]
    job_id = (data_dir / "job_id").read_text()
    assert "Fatal Python error: Aborted" in (data_dir / "crash.log").read_text()

    with TestClient(create_app(make_settings(data_dir, asr={"model": "tiny.en"}))) as client:
        auth = {"x-api-key": get_token(client)}
        job = wait_for_job(client, job_id, auth, timeout=30)
        assert job["status"] == "failed", job
        assert "crashed the process running it" in job["message"]
        with client.app.state.services.db.session() as session:  # type: ignore[attr-defined]
            stored = session.get(Job, job_id)
            assert stored is not None and stored.attempts == 1
        # The server goes on with other work, and a clean stop leaves no report behind.
        response = client.post("/v1/process/text", json=text_body("Hello there."), headers=auth)
        assert wait_for_job(client, response.json()["jobId"], auth)["status"] == "completed"
    assert not (data_dir / "crash.log").exists()


def test_a_crashed_worker_process_fails_only_its_own_jobs(tmp_path: Path) -> None:
    """What the supervisor of a worker node does when a worker process faults (pid 123 on `node`)."""
    settings = make_settings(tmp_path / "data", server={"run_worker": False})
    workers = ["node:123:aa", "node:1234:bb", "other:123:cc"]
    with TestClient(create_app(settings)) as client:
        auth = {"x-api-key": get_token(client)}
        ids = [
            client.post("/v1/process/text", json=text_body("Hi."), headers=auth).json()["jobId"]
            for _ in workers
        ]
        db = client.app.state.services.db  # type: ignore[attr-defined]
        with db.session() as session:
            for job_id, worker in zip(ids, workers, strict=True):
                job = session.get(Job, job_id)
                assert job is not None
                job.status, job.worker_id = JobStatus.IN_PROGRESS, worker
        assert fail_jobs_of(db, "node:123:%", "SIGSEGV") == [ids[0]]
        failed = client.get(f"/v1/job/{ids[0]}", headers=auth).json()
        assert failed["status"] == "failed" and "(SIGSEGV)" in failed["message"]
        with db.session() as session:
            assert [session.get(Job, i).status for i in ids[1:]] == ["in_progress"] * 2  # type: ignore[union-attr]
