"""Fixtures of the security suite: a seeded data dir, a guard that keeps traffic on loopback, and an app
for hostile media (the tiny model, 30 s of audio at most)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from convoscope.api.app import create_app
from tests.fixtures.conversations import seed_conversation
from tests.fixtures.network import allow_loopback_only
from tests.fixtures.settings import make_settings


@pytest.fixture
def loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail the test if anything resolves or connects to a host that is not loopback."""
    allow_loopback_only(monkeypatch)


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, dict[str, list[str]]]]:
    data_dir = tmp_path_factory.mktemp("seeded") / "data"
    yield data_dir, seed_conversation(data_dir)


@pytest.fixture(scope="module")
def media_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The real app with the tiny model; media over 30 s is refused at submit."""
    settings = make_settings(
        tmp_path_factory.mktemp("media") / "data", asr={"model": "tiny.en"}, limits={"media_seconds": 30.0}
    )
    with TestClient(create_app(settings)) as client:
        yield client
