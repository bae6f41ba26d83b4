"""Access tokens are stored only as their SHA-256; tokens issued before that keep working after the
migration that hashes them."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from pathlib import Path

import jwt
import sqlalchemy as sa
from alembic import command
from fastapi.testclient import TestClient

from convoscope.api.app import create_app
from convoscope.db import Database, _alembic_config
from convoscope.secrets_store import hash_secret
from tests.fixtures.api import get_token
from tests.fixtures.settings import APP_ID, make_settings

KEY = "signing-key-of-the-test-0123456789"


def test_the_database_holds_no_usable_token(client: TestClient) -> None:
    token = get_token(client)
    assert get_token(client) == token  # a still-valid token is handed out again
    services = client.app.state.services  # type: ignore[attr-defined]
    with services.db.engine.connect() as connection:
        rows = connection.execute(sa.text("SELECT * FROM access_tokens")).mappings().all()
    assert len(rows) == 1 and "token" not in rows[0]
    assert rows[0]["token_hash"] == hashlib.sha256(token.encode()).hexdigest()
    assert all(token not in str(value) for value in rows[0].values())
    assert client.get("/v1/conversations", headers={"x-api-key": token}).status_code == 200
    # The stored hash is not a token.
    assert client.get("/v1/conversations", headers={"x-api-key": rows[0]["token_hash"]}).status_code == 401


def test_tokens_stored_in_clear_are_hashed_by_the_migration(tmp_path: Path) -> None:
    settings = make_settings(tmp_path / "data", server={"run_worker": False}, tokens={"secret": KEY})
    settings.data_dir.mkdir(parents=True)
    db = Database(settings.resolved_database_url)
    command.upgrade(_alembic_config(db.engine), "0005")
    now = datetime.now(UTC).replace(microsecond=0)
    claims = {
        "sub": APP_ID,
        "jti": "old-token",
        "iat": now,
        "exp": now + timedelta(hours=1),
        "iss": "convoscope",
    }
    old = jwt.encode({**claims, "typ": "access"}, KEY, algorithm="HS256")
    with db.engine.begin() as connection:
        connection.execute(
            sa.text("INSERT INTO apps (id, name, secret_hash, created_at) VALUES (:id, '', :h, :t)"),
            {"id": APP_ID, "h": hash_secret("x"), "t": now},
        )
        connection.execute(
            sa.text(
                "INSERT INTO access_tokens (id, app_id, token, issued_at, expires_at, revoked) "
                "VALUES ('old-token', :app, :token, :now, :exp, false)"
            ),
            {"app": APP_ID, "token": old, "now": now, "exp": now + timedelta(hours=1)},
        )
    db.dispose()
    with TestClient(create_app(settings)) as client:  # the embedded database migrates itself
        assert client.get("/v1/conversations", headers={"x-api-key": old}).status_code == 200
        services = client.app.state.services  # type: ignore[attr-defined]
        with services.db.engine.connect() as connection:
            stored = connection.execute(sa.text("SELECT token_hash FROM access_tokens")).scalar_one()
    assert stored == hashlib.sha256(old.encode()).hexdigest()
