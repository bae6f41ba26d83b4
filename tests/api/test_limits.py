"""Body size (413) and concurrent-job (429) limits; rejected requests store nothing."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from convoscope.api.app import create_app
from tests.fixtures.api import get_token, text_body
from tests.fixtures.settings import make_settings


def test_body_over_the_limit_is_413(tmp_path: Path) -> None:
    with TestClient(create_app(make_settings(tmp_path, limits={"body_bytes": 2048}))) as client:
        auth = {"x-api-key": get_token(client)}
        response = client.post("/v1/process/text", json=text_body("word " * 1000), headers=auth)
        assert response.status_code == 413
        assert "message" in response.json()
        assert client.get("/v1/conversations", headers=auth).json()["conversations"] == []


def test_too_many_messages_is_400(tmp_path: Path) -> None:
    with TestClient(create_app(make_settings(tmp_path, limits={"messages_per_request": 3}))) as client:
        auth = {"x-api-key": get_token(client)}
        response = client.post("/v1/process/text", json=text_body("a.", "b.", "c.", "d."), headers=auth)
        assert response.status_code == 400
        assert "at most 3" in response.json()["message"]


def test_concurrent_job_limit_is_429_with_status_code(tmp_path: Path) -> None:
    # No worker: submitted jobs stay scheduled, so the second one is over a limit of one.
    with TestClient(
        create_app(make_settings(tmp_path, limits={"concurrent_jobs": 1}, server={"run_worker": False}))
    ) as client:
        auth = {"x-api-key": get_token(client)}
        assert client.post("/v1/process/text", json=text_body("One."), headers=auth).status_code == 201
        response = client.post("/v1/process/text", json=text_body("Two."), headers=auth)
        assert response.status_code == 429
        assert response.json()["statusCode"] == 429
        assert "concurrent jobs" in response.json()["message"]
        assert len(client.get("/v1/conversations", headers=auth).json()["conversations"]) == 1
