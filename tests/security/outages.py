"""Helpers that take a service away and bring it back, on loopback only."""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text

from convoscope.db import Database


@contextmanager
def sqlite_gone(db: Database, path: Path) -> Iterator[None]:
    """The database file disappears (a lost volume): a directory stands where it was, so no
    connection can open it, and the pooled connections are dropped. Everything is put back after."""
    backup = path.parent / "outage-backup"
    backup.mkdir()
    db.engine.dispose()
    names = [p.name for p in path.parent.iterdir() if p.name.startswith(path.name)]
    for name in names:
        shutil.move(path.parent / name, backup / name)
    path.mkdir()
    try:
        yield
    finally:
        path.rmdir()
        for name in names:
            shutil.move(backup / name, path.parent / name)
        backup.rmdir()


@contextmanager
def postgres_refusing(server_url: str, database: str) -> Iterator[None]:
    """No new connection to `database` is accepted and every open one is killed, until the block ends."""
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'ALTER DATABASE "{database}" ALLOW_CONNECTIONS false'))
            connection.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = :name AND pid <> pg_backend_pid()"
                ),
                {"name": database},
            )
        yield
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'ALTER DATABASE "{database}" ALLOW_CONNECTIONS true'))
        admin.dispose()


@contextmanager
def redis_server(port: int) -> Iterator[None]:
    """A throw-away redis-server on 127.0.0.1:`port` (no persistence)."""
    binary = shutil.which("redis-server")
    assert binary, "redis-server is not installed"
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        import redis

        client = redis.Redis(host="127.0.0.1", port=port, socket_connect_timeout=0.5)
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                break
            except redis.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        client.close()
        yield
    finally:
        process.terminate()
        process.wait(timeout=10)
