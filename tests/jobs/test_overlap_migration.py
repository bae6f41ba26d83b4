"""Migration 0009 (diarized overlaps) upgrades a database that already holds conversations and
downgrades cleanly, on SQLite and on PostgreSQL (the `backend` the jobs suite runs on; a fresh
database of its own on either)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from alembic import command

from convoscope.db import _alembic_config, schema_revision
from tests.fixtures.backends import bare_database

REVISION = "0009"


def seed(connection: sa.Connection) -> None:
    now = datetime.now(UTC)
    connection.execute(
        sa.text("INSERT INTO apps (id, name, secret_hash, created_at) VALUES ('app', '', 'x', :t)"),
        {"t": now},
    )
    connection.execute(
        sa.text(
            "INSERT INTO conversations (id, app_id, name, type, start_time, media_seconds, language, "
            "metadata, insight_options, created_at) "
            "VALUES ('c1', 'app', 'call', 'meeting', :t, 30.0, 'en-US', '{}', '{}', :t)"
        ),
        {"t": now},
    )
    for position, member in enumerate(("m1", "m2"), start=1):
        connection.execute(
            sa.text("INSERT INTO members (id, conversation_id, name, position) VALUES (:id, 'c1', :id, :p)"),
            {"id": member, "p": position},
        )


def overlap_rows(connection: sa.Connection) -> list[tuple[object, ...]]:
    query = sa.text("SELECT member_id, other_member_id FROM speech_overlaps")
    return [tuple(row) for row in connection.execute(query)]


def test_overlaps_table_comes_and_goes(backend: str, tmp_path: Path) -> None:
    with bare_database(backend, tmp_path) as db:
        config = _alembic_config(db.engine)
        command.upgrade(config, "0008")
        with db.engine.begin() as connection:
            seed(connection)
        command.upgrade(config, REVISION)
        assert schema_revision(db.engine)[0] == REVISION
        with db.engine.begin() as connection:
            connection.execute(
                sa.text(
                    "INSERT INTO speech_overlaps (conversation_id, job_id, member_id, other_member_id, "
                    "start_seconds, end_seconds) VALUES ('c1', 'j1', 'm1', 'm2', 1.5, 2.25)"
                )
            )
            assert overlap_rows(connection) == [("m1", "m2")]
            # A member that goes takes its overlaps with it (the conversation's own stay consistent).
            connection.execute(sa.text("DELETE FROM members WHERE id = 'm2'"))
            assert overlap_rows(connection) == []
        command.downgrade(config, "0008")
        assert "speech_overlaps" not in sa.inspect(db.engine).get_table_names()
        command.upgrade(config, "head")
        assert "speech_overlaps" in sa.inspect(db.engine).get_table_names()
