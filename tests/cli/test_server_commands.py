"""The in-process commands: models, apps create, apps webhook-secret, db upgrade."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from convoscope.cli.main import main
from convoscope.jobs.webhooks import webhook_secret


def test_models_lists_both_packaged_models_with_the_default(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["models", "--data-dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert any(line.startswith("* base") and "installed" in line for line in lines)
    assert any("tiny.en" in line and "installed" in line for line in lines)


def test_apps_create_then_webhook_secret(tmp_path: Path) -> None:
    runner = CliRunner()
    created = runner.invoke(main, ["apps", "create", "--name", "sales", "--data-dir", str(tmp_path)])
    assert created.exit_code == 0, created.output
    values = dict(line.split("=", 1) for line in created.output.strip().splitlines() if "=" in line)
    assert len(values["appId"]) == 32 and len(values["appSecret"]) > 30
    secret = runner.invoke(main, ["apps", "webhook-secret", values["appId"], "--data-dir", str(tmp_path)])
    key = (tmp_path / "token_secret").read_text().strip()
    assert secret.output.strip() == webhook_secret(key, values["appId"])
