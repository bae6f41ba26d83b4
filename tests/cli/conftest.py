"""One live server per module with a processed audio conversation, and a CLI runner pointed at it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import APP_ID, APP_SECRET, SHARED_DATA, LiveServer, make_settings

JFK = SHARED_DATA / "jfk.flac"


@dataclass(frozen=True)
class Processed:
    conversation_id: str
    job_id: str


@dataclass(frozen=True)
class Result:
    exit_code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


# The CLI runs in its own process, as a user runs it (and apart from the server's logs).
ENTRY = "from convoscope.cli.main import main; main()"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    settings = make_settings(tmp_path_factory.mktemp("cli") / "data", asr={"model": "tiny.en"})
    with LiveServer(settings) as live:
        yield live


@pytest.fixture(scope="module")
def cli(server: LiveServer) -> Callable[..., Result]:
    """Run `convoscope ARGS` with the server and credentials in the environment, as a user would."""

    def run(*args: str, env: dict[str, str] | None = None) -> Result:
        environment = {
            **os.environ,
            "CONVOSCOPE_URL": server.url,
            "CONVOSCOPE_APP_ID": APP_ID,
            "CONVOSCOPE_APP_SECRET": APP_SECRET,
            **(env or {}),
        }
        done = subprocess.run(
            [sys.executable, "-c", ENTRY, *args],
            env=environment,
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
            timeout=600,
        )
        return Result(done.returncode, done.stdout, done.stderr)

    return run


@pytest.fixture(scope="module")
def processed(cli: Callable[..., Result]) -> Processed:
    """jfk.flac processed through `convoscope process --wait --json`."""
    result = cli("process", str(JFK), "--name", "JFK inaugural", "--summary", "--wait", "--json")
    assert result.exit_code == 0, result.output
    document: dict[str, Any] = json.loads(result.stdout)
    return Processed(document["conversation"]["id"], document["jobId"])


@pytest.fixture
def text_file(tmp_path: Path) -> Path:
    path = tmp_path / "standup.json"
    path.write_text(
        json.dumps(
            {
                "messages": [
                    {"payload": {"content": "Can you send the report by Friday?"}, "from": {"name": "Ana"}},
                    {"payload": {"content": "Yes, I will send it tomorrow."}, "from": {"name": "Ben"}},
                ]
            }
        )
    )
    return path
