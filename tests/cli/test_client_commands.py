"""`convoscope process | status | conversations ...` against a real server on a loopback port."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.fixtures.cli import Cli, Processed
from tests.fixtures.paths import JFK

pytestmark = pytest.mark.slow


def test_process_wait_prints_the_transcript_and_insights(cli: Cli, text_file: Path) -> None:
    result = cli("process", str(text_file), "--name", "Standup", "--wait")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Standup" in out
    assert "Ana: Can you send the report by Friday?" in out
    assert "Ben: Yes, I will send it tomorrow." in out
    assert "Action items" in out and "assignee: Ben" in out, out
    assert "completed" in result.stderr


def test_process_audio_json(processed: Processed, cli: Cli) -> None:
    result = cli("conversations", "show", processed.conversation_id, "--json", "--insights")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["conversation"]["name"] == "JFK inaugural"
    spoken = " ".join(m["text"] for m in document["messages"]).lower()
    assert "ask not what your country can do for you" in spoken
    assert {"questions", "actionItems", "topics", "analytics"} <= set(document["insights"])


def test_process_without_wait_prints_ids_and_status_follows(cli: Cli, text_file: Path) -> None:
    result = cli("process", str(text_file), "--json")
    assert result.exit_code == 0, result.output
    ids = json.loads(result.stdout)
    assert set(ids) == {"conversationId", "jobId"}
    status = cli("status", ids["jobId"])
    assert status.exit_code == 0
    assert status.stdout.strip() in ("scheduled", "in_progress", "completed")


def test_upload_shows_progress(cli: Cli) -> None:
    result = cli("process", str(JFK), "--diarize", "--speakers", "1", "--vocabulary", "country,fellow")
    assert result.exit_code == 0, result.output
    assert "Uploading jfk.flac" in result.stderr
    assert "jobId:" in result.stdout


def test_list_and_show(processed: Processed, cli: Cli) -> None:
    listed = cli("conversations", "list")
    assert listed.exit_code == 0
    assert processed.conversation_id in listed.stdout and "JFK inaugural" in listed.stdout
    shown = cli("show", processed.conversation_id)
    assert shown.exit_code == 0
    assert "[00:0" in shown.stdout and "country" in shown.stdout


@pytest.mark.parametrize(("fmt", "marker"), [("md", ": "), ("srt", " --> "), ("vtt", "WEBVTT")])
def test_export_formats(processed: Processed, cli: Cli, fmt: str, marker: str, tmp_path: Path) -> None:
    target = tmp_path / f"out.{fmt}"
    result = cli("conversations", "export", processed.conversation_id, "--format", fmt, "-o", str(target))
    assert result.exit_code == 0, result.output
    text = target.read_text()
    assert marker in text and "country" in text.lower()


def test_export_json_holds_messages_and_insights(processed: Processed, cli: Cli) -> None:
    result = cli("export", processed.conversation_id, "--format", "json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["messages"] and "topics" in document["insights"]


def test_delete(cli: Cli, text_file: Path) -> None:
    ids = json.loads(cli("process", str(text_file), "--wait", "--json").stdout)
    conversation_id = ids["conversation"]["id"]
    assert cli("conversations", "delete", conversation_id, "--yes").exit_code == 0
    assert cli("show", conversation_id).exit_code == 4
