"""Shared fixtures: a real app on a real data dir, with its in-process worker.

The API, job and compat suites run twice: on the embedded default (SQLite + SqliteHuey) and on
PostgreSQL + Redis (`tests/fixtures/backends.py`), the latter skipped when those services are unreachable.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from convoscope.api.app import create_app
from convoscope.config import Settings
from tests.fixtures import backends
from tests.fixtures.api import get_token, wait_for_job
from tests.fixtures.paths import SHARED_DATA
from tests.fixtures.servers import LiveServer, serving_directory
from tests.fixtures.settings import make_settings


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Run the HTTP-level suites on both backends; everything else stays on SQLite."""
    parts = Path(str(metafunc.definition.path)).parts
    if "backend" in metafunc.fixturenames and any(part in backends.BOTH_BACKENDS for part in parts):
        metafunc.parametrize("backend", ["sqlite", "postgres"], indirect=True, scope="session")


@pytest.fixture(scope="session", autouse=True)
def backend(request: pytest.FixtureRequest) -> Iterator[str]:
    """The database + queue backend `make_settings` uses for this group of tests.

    A module- or session-scoped fixture that builds a server must request `backend` too, so that
    pytest builds it again for each backend.
    """
    name = str(getattr(request, "param", "sqlite"))
    with backends.activate(name):
        yield name


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path / "data")


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as test_client:
        yield test_client


@pytest.fixture
def auth(client: TestClient) -> dict[str, str]:
    return {"Authorization": f"Bearer {get_token(client)}"}


@pytest.fixture
def submit_text(client: TestClient, auth: dict[str, str]) -> Callable[..., dict[str, Any]]:
    """Submit a text conversation and wait for its job; returns the submit response."""

    def submit(body: dict[str, Any], conversation_id: str | None = None) -> dict[str, Any]:
        if conversation_id:
            response = client.put(f"/v1/process/text/{conversation_id}", json=body, headers=auth)
        else:
            response = client.post("/v1/process/text", json=body, headers=auth)
        assert response.status_code == 201, response.text
        ids: dict[str, Any] = response.json()
        assert wait_for_job(client, ids["jobId"], auth)["status"] == "completed"
        return ids

    return submit


@pytest.fixture
def live_server(settings: Settings) -> Iterator[LiveServer]:
    with LiveServer(settings) as server:
        yield server


@pytest.fixture(scope="module")
def file_server() -> Iterator[str]:
    """The shared speech clips served over HTTP on a loopback port (for URL submits)."""
    with serving_directory(SHARED_DATA) as url:
        yield url
