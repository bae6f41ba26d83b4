"""Jobs survive restarts and crashes, and a re-run never duplicates messages."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from convoscope.api.app import create_app
from convoscope.conversations.job_requests import TextSubmit
from convoscope.jobs.output import store_output
from convoscope.jobs.text_processor import build_text_output
from convoscope.tables import Conversation, Job
from convoscope.timeutil import utcnow
from tests.fixtures.api import get_token, text_body, wait_for_job
from tests.fixtures.settings import make_settings

BODY = text_body("First sentence. Second sentence.", "Third sentence.", sender={"name": "Ann"})


def test_job_queued_before_a_restart_completes_after_it(tmp_path: Path) -> None:
    with TestClient(create_app(make_settings(tmp_path, server={"run_worker": False}))) as client:
        auth = {"x-api-key": get_token(client)}
        ids = client.post("/v1/process/text", json=BODY, headers=auth).json()
        assert client.get(f"/v1/job/{ids['jobId']}", headers=auth).json()["status"] == "in_progress"
        jobs = client.get(f"/v1/conversations/{ids['conversationId']}/jobs", headers=auth).json()["jobs"]
        assert [job["status"] for job in jobs] == ["scheduled"]

    with TestClient(create_app(make_settings(tmp_path))) as client:
        auth = {"x-api-key": get_token(client)}
        assert wait_for_job(client, ids["jobId"], auth)["status"] == "completed"
        messages = client.get(f"/v1/conversations/{ids['conversationId']}/messages", headers=auth).json()[
            "messages"
        ]
        assert [m["text"] for m in messages] == ["First sentence.", "Second sentence.", "Third sentence."]


def test_job_interrupted_mid_way_is_rerun_without_duplicates(tmp_path: Path) -> None:
    with TestClient(create_app(make_settings(tmp_path, server={"run_worker": False}))) as client:
        auth = {"x-api-key": get_token(client)}
        ids = client.post("/v1/process/text", json=BODY, headers=auth).json()
        services = client.app.state.services  # type: ignore[attr-defined]
        # Simulate a worker that claimed the job, stored its messages and died before finishing.
        with services.db.session() as session:
            job = session.get(Job, ids["jobId"])
            conversation = session.get(Conversation, ids["conversationId"])
            assert job is not None and conversation is not None
            job.status, job.worker_id, job.attempts = "in_progress", "dead-worker", 1
            job.lease_until = utcnow()
            store_output(
                session, job, conversation, build_text_output(TextSubmit.model_validate(job.request))
            )

    with TestClient(create_app(make_settings(tmp_path))) as client:
        auth = {"x-api-key": get_token(client)}
        assert wait_for_job(client, ids["jobId"], auth)["status"] == "completed"
        messages = client.get(f"/v1/conversations/{ids['conversationId']}/messages", headers=auth).json()[
            "messages"
        ]
        assert [m["text"] for m in messages] == ["First sentence.", "Second sentence.", "Third sentence."]
        members = client.get(f"/v1/conversations/{ids['conversationId']}/members", headers=auth).json()[
            "members"
        ]
        assert [m["name"] for m in members] == ["Ann"]


def test_job_that_keeps_crashing_ends_failed(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, server={"run_worker": False}, jobs={"max_attempts": 2})
    with TestClient(create_app(settings)) as client:
        auth = {"x-api-key": get_token(client)}
        ids = client.post("/v1/process/text", json=BODY, headers=auth).json()
        services = client.app.state.services  # type: ignore[attr-defined]
        with services.db.session() as session:
            job = session.get(Job, ids["jobId"])
            assert job is not None
            job.status, job.worker_id, job.attempts, job.lease_until = "in_progress", "dead", 2, utcnow()

    with TestClient(create_app(make_settings(tmp_path, jobs={"max_attempts": 2}))) as client:
        auth = {"x-api-key": get_token(client)}
        body = wait_for_job(client, ids["jobId"], auth)
        assert body["status"] == "failed"
        assert "interrupted" in body["message"]
