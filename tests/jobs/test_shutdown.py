"""A stopping worker hands its running job back: `scheduled` again, re-queued, the attempt not
counted; another worker then completes it."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from fastapi.testclient import TestClient

from convoscope.api.app import create_app
from convoscope.jobs.output import JobOutput
from convoscope.jobs.processors import process_text
from convoscope.tables import Conversation, Job
from convoscope.worker.consumer import Worker
from tests.fixtures.api import get_token, text_body, wait_for_job
from tests.fixtures.settings import make_settings


def test_stopping_worker_hands_its_job_back(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, server={"run_worker": False})
    with TestClient(create_app(settings)) as client:
        auth = {"x-api-key": get_token(client)}
        ids = client.post("/v1/process/text", json=text_body("Stay a while."), headers=auth).json()
        services = client.app.state.services  # type: ignore[attr-defined]
        entered, release = threading.Event(), threading.Event()

        def slow(job: Job, conversation: Conversation) -> JobOutput:
            entered.set()
            release.wait(30)
            return process_text(job, conversation)

        worker = Worker(services, {"text": slow}, sole_worker=False)
        worker.start()
        assert entered.wait(60)
        worker.stop(timeout=0.2)  # the job is still running: it goes back to the queue
        release.set()
        with services.db.session() as session:
            job = session.get(Job, ids["jobId"])
            assert job is not None
            assert (job.status, job.attempts, job.worker_id) == ("scheduled", 0, None)
        time.sleep(0.5)  # the released thread finds the job no longer ours and stores nothing
        with services.db.session() as session:
            job = session.get(Job, ids["jobId"])
            assert job is not None and job.status == "scheduled"

    with TestClient(create_app(make_settings(tmp_path))) as client:
        auth = {"x-api-key": get_token(client)}
        assert wait_for_job(client, ids["jobId"], auth)["status"] == "completed"
        texts = [
            m["text"]
            for m in client.get(f"/v1/conversations/{ids['conversationId']}/messages", headers=auth).json()[
                "messages"
            ]
        ]
        assert texts == ["Stay a while."]
