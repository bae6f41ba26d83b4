"""`?refresh=true` never analyses inside the request: it answers from the stored insights and leaves
one refresh job per conversation, a limited number per app per minute; a worker runs it."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from convoscope.api.app import create_app
from convoscope.tables import InsightSet
from tests.fixtures.api import get_token, wait_for_job
from tests.fixtures.conversations import SALES_CALL, seed_conversation
from tests.fixtures.settings import make_settings


def jobs_of(client: TestClient, cid: str, auth: dict[str, str]) -> list[dict[str, Any]]:
    return list(client.get(f"/v1/conversations/{cid}/jobs", headers=auth).json()["jobs"])


def test_refresh_on_an_api_node_leaves_a_job_and_answers_at_once(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    cid = seed_conversation(data_dir)["conversationId"][0]
    settings = make_settings(
        data_dir, server={"run_worker": False}, limits={"insight_refreshes_per_minute": 2}
    )
    with TestClient(create_app(settings)) as client:
        auth = {"x-api-key": get_token(client)}
        stored = client.get(f"/v1/conversations/{cid}/questions", headers=auth).json()
        assert stored["questions"]
        for _ in range(3):  # one refresh job per conversation, however often it is asked
            answer = client.get(f"/v1/conversations/{cid}/questions?refresh=true", headers=auth)
            assert answer.status_code == 200 and answer.json() == stored
        refreshes = [job for job in jobs_of(client, cid, auth) if job["kind"] == "insights"]
        assert [job["status"] for job in refreshes] == ["scheduled"]
        # The summary stays readable while the refresh waits.
        assert client.get(f"/v1/conversations/{cid}/summary", headers=auth).status_code == 200

        # Per app: two refreshes a minute here (the first above, and one more).
        others = [
            client.post("/v1/process/text", json=SALES_CALL, headers=auth).json()["conversationId"]
            for _ in range(2)
        ]
        for other in others:
            client.get(f"/v1/conversations/{other}/topics?refresh=true", headers=auth)
        kinds = [[job["kind"] for job in jobs_of(client, other, auth)] for other in others]
        assert kinds == [["text", "insights"], ["text"]]


def test_a_worker_runs_the_refresh(tmp_path: Path) -> None:
    with TestClient(create_app(make_settings(tmp_path / "data"))) as client:
        auth = {"x-api-key": get_token(client)}
        submitted = client.post("/v1/process/text", json=SALES_CALL, headers=auth).json()
        cid = submitted["conversationId"]
        assert wait_for_job(client, submitted["jobId"], auth)["status"] == "completed"
        services = client.app.state.services  # type: ignore[attr-defined]
        with services.db.session() as session:
            before = session.get(InsightSet, cid).computed_at  # type: ignore[union-attr]
        time.sleep(0.01)
        client.get(f"/v1/conversations/{cid}/action-items?refresh=true", headers=auth)
        refresh = next(job for job in jobs_of(client, cid, auth) if job["kind"] == "insights")
        assert wait_for_job(client, refresh["id"], auth)["status"] == "completed"
        with services.db.session() as session:
            after = session.get(InsightSet, cid).computed_at  # type: ignore[union-attr]
        assert after > before
