"""Operations endpoints: health, readiness, Prometheus metrics and request ids."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from convoscope.api.app import create_app
from convoscope.config import Settings
from tests.fixtures.api import text_body
from tests.fixtures.settings import make_settings


def test_healthz_and_readyz_with_the_embedded_worker(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    response = client.get("/readyz")
    assert response.status_code == 200, response.text
    checks = response.json()["checks"]
    assert checks["database"]["ok"] and checks["queue"]["ok"] and checks["worker"]["ok"]


def test_readyz_on_an_api_only_node_reports_workers(tmp_path: Path) -> None:
    with TestClient(create_app(make_settings(tmp_path, server={"run_worker": False}))) as client:
        response = client.get("/readyz")
        assert response.status_code == 200, response.text
        assert response.json()["checks"]["workers"] == {"ok": True, "live": 0}


METRICS_TOKEN = "scrape-0123456789"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path / "data", server={"metrics_token": METRICS_TOKEN})


def test_metrics_count_requests_and_jobs(client: TestClient, submit_text: Any, auth: dict[str, str]) -> None:
    submit_text(text_body("One sentence. Two sentences."))
    scrape = client.get("/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"})
    assert scrape.status_code == 200
    assert scrape.headers["content-type"].startswith("text/plain")
    body = scrape.text
    assert 'convoscope_jobs{status="completed"} 1.0' in body
    assert "convoscope_queue_depth" in body
    assert 'convoscope_http_requests_total{method="POST",route="/v1/process/text",status="201"}' in body
    assert 'convoscope_jobs_finished_total{kind="text",status="completed"}' in body
    assert 'convoscope_job_step_seconds_count{step="insights"}' in body


def test_metrics_need_the_scrape_token(client: TestClient, auth: dict[str, str]) -> None:
    for headers in ({}, auth, {"Authorization": "Bearer wrong"}, {"Authorization": METRICS_TOKEN}):
        response = client.get("/metrics", headers=headers)
        assert response.status_code == 401 and "message" in response.json()
    assert client.get("/healthz").status_code == 200 and client.get("/readyz").status_code == 200


def test_metrics_are_off_without_a_scrape_token(tmp_path: Path) -> None:
    with TestClient(create_app(make_settings(tmp_path, server={"run_worker": False}))) as client:
        response = client.get("/metrics")
        assert response.status_code == 404 and "message" in response.json()
        assert "convoscope_jobs" not in response.text
        assert client.get("/healthz").status_code == 200


def test_request_id_is_returned_and_a_callers_id_is_kept(client: TestClient) -> None:
    generated = client.get("/healthz").headers["x-request-id"]
    assert len(generated) >= 16
    assert client.get("/healthz", headers={"X-Request-ID": "lb-1234"}).headers["x-request-id"] == "lb-1234"
    odd = client.get("/healthz", headers={"X-Request-ID": "bad id with spaces"}).headers["x-request-id"]
    assert odd != "bad id with spaces"
