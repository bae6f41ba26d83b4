"""Migration 0010 (a sample's telephone-band voiceprint) keeps the voices an app already enrolled,
which go on naming speakers, and downgrades cleanly, on SQLite and on PostgreSQL."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from alembic import command

from convoscope.conversations import voices
from convoscope.db import _alembic_config, schema_revision
from tests.fixtures.backends import bare_database

REVISION = "0010"
PRINT = [1.0] + [0.0] * 191  # a voiceprint of the speaker model's size


def test_enrolled_voices_survive_and_still_name_speakers(backend: str, tmp_path: Path) -> None:
    with bare_database(backend, tmp_path) as db:
        config = _alembic_config(db.engine)
        command.upgrade(config, "0009")
        now = datetime.now(UTC)
        with db.engine.begin() as connection:
            connection.execute(
                sa.text("INSERT INTO apps (id, name, secret_hash, created_at) VALUES ('app', '', 'x', :t)"),
                {"t": now},
            )
            connection.execute(
                sa.text(
                    "INSERT INTO voices (id, app_id, name, voiceprint, model, seconds, created_at, "
                    "updated_at) VALUES ('v1', 'app', 'Ann', :print, 'campplus', 5.0, :t, :t)"
                ),
                {"print": json.dumps(PRINT), "t": now},
            )
        command.upgrade(config, REVISION)
        assert schema_revision(db.engine)[0] == REVISION
        with db.session() as session:
            named = voices.identify(session, "app", {"S0": [0.99, 0.1] + [0.0] * 190})
        assert named["S0"].name == "Ann"
        command.downgrade(config, "0009")
        columns = {c["name"] for c in sa.inspect(db.engine).get_columns("voices")}
        assert "phone_voiceprint" not in columns and "voiceprint" in columns
        with db.engine.connect() as connection:
            assert connection.execute(sa.text("SELECT name FROM voices")).scalars().all() == ["Ann"]
