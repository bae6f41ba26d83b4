"""One live server per module with a processed audio conversation, and a CLI runner pointed at it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.fixtures.cli import STANDUP, Cli, Processed, Result, run_cli
from tests.fixtures.paths import JFK
from tests.fixtures.servers import LiveServer
from tests.fixtures.settings import make_settings


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    settings = make_settings(tmp_path_factory.mktemp("cli") / "data", asr={"model": "tiny.en"})
    with LiveServer(settings) as live:
        yield live


@pytest.fixture(scope="module")
def cli(server: LiveServer) -> Cli:
    """Run `convoscope ARGS` with the server and credentials in the environment, as a user would."""

    def run(*args: str, env: dict[str, str] | None = None) -> Result:
        return run_cli(server.url, *args, env=env)

    return run


@pytest.fixture(scope="module")
def processed(cli: Cli) -> Processed:
    """jfk.flac processed through `convoscope process --wait --json`."""
    result = cli("process", str(JFK), "--name", "JFK inaugural", "--summary", "--wait", "--json")
    assert result.exit_code == 0, result.output
    document: dict[str, Any] = json.loads(result.stdout)
    return Processed(document["conversation"]["id"], document["jobId"])


@pytest.fixture
def text_file(tmp_path: Path) -> Path:
    path = tmp_path / "standup.json"
    path.write_text(json.dumps(STANDUP))
    return path
