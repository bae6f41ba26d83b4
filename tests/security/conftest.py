"""Fixtures of the security suite: a seeded data dir and a guard that keeps traffic on loopback."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from convoscope.api.app import create_app
from tests.api.test_insights_api import MEETING
from tests.conftest import get_token, make_settings, wait_for_job

LOOPBACK_NAMES = frozenset({"127.0.0.1", "::1", "localhost"})


@pytest.fixture
def loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail the test if anything resolves or connects to a host that is not loopback."""
    real_getaddrinfo, real_connection = socket.getaddrinfo, socket.create_connection

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        assert host is None or str(host) in LOOPBACK_NAMES, f"attempted to resolve {host!r}"
        return real_getaddrinfo(host, *args, **kwargs)

    def create_connection(address: tuple[str, int], *args: Any, **kwargs: Any) -> socket.socket:
        assert address[0] in LOOPBACK_NAMES, f"attempted connection to {address}"
        return real_connection(address, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(socket, "create_connection", create_connection)


def seed_conversation(data_dir: Path) -> dict[str, list[str]]:
    """Run one real text job in `data_dir` (worker on); the ids of what it stored."""
    with TestClient(create_app(make_settings(data_dir))) as client:
        auth = {"x-api-key": get_token(client)}
        submitted = client.post("/v1/process/text", json=MEETING, headers=auth).json()
        assert wait_for_job(client, submitted["jobId"], auth)["status"] == "completed"
        cid = submitted["conversationId"]
        members = client.get(f"/v1/conversations/{cid}/members", headers=auth).json()["members"]
    return {"conversationId": [cid], "jobId": [submitted["jobId"]], "memberId": [m["id"] for m in members]}


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, dict[str, list[str]]]]:
    data_dir = tmp_path_factory.mktemp("seeded") / "data"
    yield data_dir, seed_conversation(data_dir)
