"""Test backends: the embedded default (SQLite + SqliteHuey) or PostgreSQL + Redis.

PostgreSQL and Redis come from `CONVOSCOPE_TEST_POSTGRES_URL` / `CONVOSCOPE_TEST_REDIS_URL` (CI sets
them); tests that need them skip when they are unset or unreachable. Other test runs may share the
same servers, so each run works in its own database (created here, dropped at the end), each data
dir gets its own schema in it (migrated with the real Alembic migrations) and its own Huey queue
name; at the end only this run's Redis keys are deleted.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, make_url, text

from convoscope.db import Database, upgrade
from convoscope.ids import uuid_id

# Test directories whose tests run on both backends.
BOTH_BACKENDS = frozenset({"api", "jobs", "compat"})


def postgres_url() -> str | None:
    return os.environ.get("CONVOSCOPE_TEST_POSTGRES_URL") or None


def redis_url() -> str | None:
    return os.environ.get("CONVOSCOPE_TEST_REDIS_URL") or None


@cache
def services_missing() -> str | None:
    """Why PostgreSQL + Redis cannot be used, or None when both answer."""
    pg, rd = postgres_url(), redis_url()
    if not pg or not rd:
        return "CONVOSCOPE_TEST_POSTGRES_URL / CONVOSCOPE_TEST_REDIS_URL not set"
    try:
        engine = create_engine(pg, connect_args={"connect_timeout": 3})
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        engine.dispose()
    except Exception as exc:
        return f"PostgreSQL unreachable: {exc}"
    try:
        import redis

        redis.Redis.from_url(rd, socket_connect_timeout=3).ping()
    except Exception as exc:
        return f"Redis unreachable: {exc}"
    return None


def require_services() -> tuple[str, str]:
    reason = services_missing()
    if reason:
        pytest.skip(reason)
    pg, rd = postgres_url(), redis_url()
    assert pg and rd
    return pg, rd


@contextmanager
def temporary_database(server_url: str) -> Iterator[str]:
    """A new, uniquely named PostgreSQL database on `server_url`'s server; dropped afterwards."""
    name = f"convoscope_test_{uuid_id()[:12]}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def delete_redis_keys(url: str, fragment: str) -> None:
    """Delete only the keys whose name contains `fragment` (never FLUSHALL a shared Redis)."""
    import redis

    client = redis.Redis.from_url(url)
    keys = list(client.scan_iter(match=f"*{fragment}*", count=1000))
    if keys:
        client.delete(*keys)
    client.close()


def schema_url(database_url: str, schema: str) -> str:
    """The URL of `database_url` with every connection working in `schema`."""
    url = make_url(database_url).update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False)


class PostgresRedis:
    """One test run's database and queue prefix; a schema and a queue name per data dir."""

    def __init__(self, database_url: str, redis: str) -> None:
        self.database_url, self.redis_url = database_url, redis
        self.prefix = f"cvtest-{uuid_id()[:8]}"
        self._migrated: set[str] = set()
        self._admin = create_engine(database_url, isolation_level="AUTOCOMMIT")

    def overrides(self, data_dir: Path) -> dict[str, Any]:
        key = hashlib.sha1(str(Path(data_dir).resolve()).encode()).hexdigest()[:16]
        schema = f"s_{key}"
        url = schema_url(self.database_url, schema)
        if schema not in self._migrated:
            with self._admin.connect() as connection:
                connection.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
            database = Database(url)
            upgrade(database.engine)
            database.dispose()
            self._migrated.add(schema)
        return {"database_url": url, "queue_url": self.redis_url, "queue_name": f"{self.prefix}-{key}"}

    def close(self) -> None:
        self._admin.dispose()
        delete_redis_keys(self.redis_url, self.prefix)


_active: PostgresRedis | None = None


@contextmanager
def activate(name: str) -> Iterator[None]:
    """Make `make_settings` use backend `name` ("sqlite" or "postgres") until the block ends."""
    global _active
    if name == "sqlite":
        yield
        return
    server, rd = require_services()
    with temporary_database(server) as database_url:
        _active = PostgresRedis(database_url, rd)
        try:
            yield
        finally:
            _active.close()
            _active = None


def overrides_for(data_dir: Path) -> dict[str, Any]:
    return _active.overrides(data_dir) if _active is not None else {}
