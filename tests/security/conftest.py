"""Fixtures of the security suite: a seeded data dir and a guard that keeps traffic on loopback."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fixtures.conversations import seed_conversation
from tests.fixtures.network import allow_loopback_only


@pytest.fixture
def loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail the test if anything resolves or connects to a host that is not loopback."""
    allow_loopback_only(monkeypatch)


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, dict[str, list[str]]]]:
    data_dir = tmp_path_factory.mktemp("seeded") / "data"
    yield data_dir, seed_conversation(data_dir)
