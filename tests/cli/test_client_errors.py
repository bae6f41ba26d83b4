"""The CLI's messages and exit codes when things go wrong (0 ok, 1 job failed, 2 usage, 3 auth,
4 not found, 5 server unreachable)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fixtures.cli import Cli
from tests.fixtures.servers import free_port

pytestmark = pytest.mark.slow


def test_server_down(cli: Cli) -> None:
    result = cli("conversations", "list", env={"CONVOSCOPE_URL": f"http://127.0.0.1:{free_port()}"})
    assert result.exit_code == 5
    assert "Cannot reach the server" in result.stderr


def test_bad_credentials(cli: Cli) -> None:
    result = cli("conversations", "list", env={"CONVOSCOPE_APP_SECRET": "wrong"})
    assert result.exit_code == 3
    assert "Bad credentials" in result.stderr


def test_missing_credentials(cli: Cli) -> None:
    result = cli("conversations", "list", env={"CONVOSCOPE_APP_ID": ""})
    assert result.exit_code == 3
    assert "No credentials" in result.stderr


def test_options_override_the_environment(cli: Cli) -> None:
    result = cli("conversations", "list", "--app-secret", "also-wrong")
    assert result.exit_code == 3


def test_unknown_ids(cli: Cli) -> None:
    for args in (
        ("show", "1234"),
        ("conversations", "export", "1234", "--format", "srt"),
        ("conversations", "delete", "1234", "--yes"),
        ("status", "00000000-0000-0000-0000-000000000000"),
    ):
        result = cli(*args)
        assert result.exit_code == 4, (args, result.output)
        assert "does not exist" in result.stderr


def test_usage_errors(cli: Cli, tmp_path: Path) -> None:
    assert cli("process", str(tmp_path / "missing.wav")).exit_code == 2
    bad = tmp_path / "bad.json"
    bad.write_text('{"nope": 1}')
    result = cli("process", str(bad))
    assert result.exit_code == 2 and "messages" in result.stderr
    assert cli("conversations", "export", "1", "--format", "doc").exit_code == 2
    text = tmp_path / "t.json"
    text.write_text('[{"payload": {"content": "Hi."}}]')
    assert cli("process", str(text), "--diarize").exit_code == 2


def test_server_refuses_the_media(cli: Cli, tmp_path: Path) -> None:
    fake = tmp_path / "notes.wav"
    fake.write_text("this is not audio")
    result = cli("process", str(fake))
    assert result.exit_code == 2
    assert "Error:" in result.stderr


def test_failed_job_exits_1_with_the_reason(cli: Cli) -> None:
    # Loopback URLs are refused by the server's download guard, so the job fails.
    result = cli("process", f"http://127.0.0.1:{free_port()}/meeting.wav", "--wait")
    assert result.exit_code == 1, result.output
    assert "failed" in result.stderr
    job_id = result.stderr.split("Job ")[1].split(":")[0]
    status = cli("status", job_id)
    assert status.exit_code == 1 and status.stdout.startswith("failed: ")
