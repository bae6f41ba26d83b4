"""Shared fixtures: a real app on a real data dir, with its in-process worker.

The API, job and compat suites run twice: on the embedded default (SQLite + SqliteHuey) and on
PostgreSQL + Redis (`tests/backends.py`), the latter skipped when those services are unreachable.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fastapi.testclient import TestClient

from convoscope.api.app import create_app
from convoscope.config import Settings
from tests import backends

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
APP_ID, APP_SECRET = "test-app", "test-secret-0123456789"


def make_settings(data_dir: Path, **overrides: Any) -> Settings:
    """Test settings in `data_dir`: top-level values, or a section's as a dict
    (`make_settings(path, server={"run_worker": False})`), over the test defaults."""
    values: dict[str, Any] = {
        "data_dir": data_dir,
        "initial_app": {"id": APP_ID, "secret": APP_SECRET},
        "jobs": {"lease_seconds": 5.0},
        "log": {"level": "warning"},
        # Each test app loads what its jobs need; warming every model for every app would waste CPU.
        "worker": {"preload_models": False},
        # Tests deliver webhooks to receivers on loopback.
        "webhooks": {"allow": ["127.0.0.1"], "backoff_seconds": 0.05},
    }
    for key, value in [*backends.overrides_for(data_dir).items(), *overrides.items()]:
        if isinstance(value, dict) and isinstance(values.get(key), dict):
            values[key] = {**values[key], **value}
        else:
            values[key] = value
    return Settings(**values)


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


def get_token(client: TestClient, app_id: str = APP_ID, secret: str = APP_SECRET) -> str:
    response = client.post(
        "/oauth2/token:generate", json={"type": "application", "appId": app_id, "appSecret": secret}
    )
    assert response.status_code == 200, response.text
    return str(response.json()["accessToken"])


@pytest.fixture
def auth(client: TestClient) -> dict[str, str]:
    return {"Authorization": f"Bearer {get_token(client)}"}


def wait_for_job(
    client: TestClient, job_id: str, headers: dict[str, str], timeout: float = 120
) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        body: dict[str, Any] = client.get(f"/v1/job/{job_id}", headers=headers).json()
        if body["status"] in ("completed", "failed"):
            return body
        time.sleep(0.1)
    raise AssertionError(f"job {job_id} did not finish in {timeout}s")


def text_body(*contents: str, sender: dict[str, str] | None = None, **options: Any) -> dict[str, Any]:
    return {
        "messages": [{"payload": {"content": c}, **({"from": sender} if sender else {})} for c in contents],
        **options,
    }


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


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class LiveServer:
    """The real app under uvicorn on a loopback port, in a thread."""

    def __init__(self, settings: Settings, port: int | None = None) -> None:
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(create_app(settings), host="127.0.0.1", port=self.port, log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 60
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("server did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *_: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)


@pytest.fixture
def live_server(settings: Settings) -> Iterator[LiveServer]:
    with LiveServer(settings) as server:
        yield server


@pytest.fixture(scope="module")
def file_server() -> Iterator[str]:
    """The shared speech clips served over HTTP on a loopback port (for URL submits)."""
    handler = partial(SimpleHTTPRequestHandler, directory=str(SHARED_DATA))
    handler.log_message = lambda *a: None  # type: ignore[method-assign,assignment]
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
