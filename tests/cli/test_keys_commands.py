"""`convoscope apps keys create | list | revoke` on a server's data dir, and the key at work."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from fastapi.testclient import TestClient

from convoscope.api.app import create_app
from convoscope.cli.main import main
from tests.fixtures.settings import APP_ID, make_settings


def test_create_list_use_and_revoke_a_key(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, server={"run_worker": False})
    runner = CliRunner()
    with TestClient(create_app(settings)) as client:  # creates the app and the schema
        created = runner.invoke(
            main, ["apps", "keys", "create", APP_ID, "--name", "nightly export", "--data-dir", str(tmp_path)]
        )
        assert created.exit_code == 0, created.output
        values = dict(line.split("=", 1) for line in created.output.strip().splitlines())
        key, key_id = values["apiKey"], values["keyId"]
        assert key.startswith("cvs_") and len(key) == 47 and key_id.startswith("key_")

        assert client.get("/v1/conversations", headers={"x-api-key": key}).status_code == 200
        listed = runner.invoke(main, ["apps", "keys", "list", APP_ID, "--json", "--data-dir", str(tmp_path)])
        (row,) = json.loads(listed.output)
        assert row["id"] == key_id and row["name"] == "nightly export" and row["state"] == "active"
        assert row["hint"] == key[:10] + "..." and row["lastUsedAt"] is not None
        assert key not in listed.output

        revoked = runner.invoke(main, ["apps", "keys", "revoke", key_id, "--data-dir", str(tmp_path)])
        assert revoked.exit_code == 0 and f"revoked {key_id}" in revoked.output
        assert client.get("/v1/conversations", headers={"x-api-key": key}).status_code == 401
        table = runner.invoke(main, ["apps", "keys", "list", APP_ID, "--data-dir", str(tmp_path)])
        assert key_id in table.output and "revoked" in table.output


def test_unknown_app_or_key_is_an_error(tmp_path: Path) -> None:
    runner = CliRunner()
    unknown_app = runner.invoke(main, ["apps", "keys", "create", "nobody", "--data-dir", str(tmp_path)])
    assert unknown_app.exit_code == 1 and "No app with appId 'nobody'" in unknown_app.output
    unknown_key = runner.invoke(main, ["apps", "keys", "revoke", "key_0000", "--data-dir", str(tmp_path)])
    assert unknown_key.exit_code == 1 and "No API key with id 'key_0000'" in unknown_key.output
