"""Lost services: the database or the queue going away answers 503 (or keeps the job) and the server
recovers when they come back; a full disk answers 507 and stores nothing."""

from __future__ import annotations

import errno
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from convoscope.api.app import create_app
from convoscope.db import Database, upgrade
from convoscope.services import Services
from convoscope.storage import MediaStore
from convoscope.tables import Conversation, Job
from convoscope.worker.consumer import Worker
from tests.fixtures import backends
from tests.fixtures.api import get_token, text_body
from tests.fixtures.outages import postgres_refusing, redis_server, sqlite_gone
from tests.fixtures.paths import SHARED_DATA
from tests.fixtures.servers import free_port
from tests.fixtures.settings import make_settings

UNAVAILABLE = "The service is temporarily unavailable. Please retry shortly."


def services_of(client: TestClient) -> Services:
    services: Services = client.app.state.services  # type: ignore[attr-defined]
    return services


def stored_rows(services: Services) -> tuple[int, int]:
    with services.db.session() as session:
        conversations = session.scalar(select(func.count()).select_from(Conversation)) or 0
        jobs = session.scalar(select(func.count()).select_from(Job)) or 0
    return int(conversations), int(jobs)


def assert_down_then_back(client: TestClient, auth: dict[str, str], outage: object) -> None:
    with outage:  # type: ignore[attr-defined]
        for path in ("/v1/conversations", "/v1/job/nothing"):
            down = client.get(path, headers=auth)
            assert down.status_code == 503, down.text
            assert down.json() == {"message": UNAVAILABLE}
        submit = client.post("/v1/process/text", json=text_body("Hello."), headers=auth)
        assert submit.status_code == 503 and submit.json() == {"message": UNAVAILABLE}
        ready = client.get("/readyz")
        assert ready.status_code == 503 and ready.json()["checks"]["database"]["ok"] is False
    assert client.get("/v1/conversations", headers=auth).status_code == 200
    assert client.get("/readyz").status_code == 200
    assert client.post("/v1/process/text", json=text_body("Back."), headers=auth).status_code == 201


def test_sqlite_going_away_answers_503_and_recovers(tmp_path: Path) -> None:
    settings = make_settings(tmp_path / "data", server={"run_worker": False})
    with TestClient(create_app(settings)) as client:
        auth = {"x-api-key": get_token(client)}
        db_path = settings.data_dir / "convoscope.db"
        assert_down_then_back(client, auth, sqlite_gone(services_of(client).db, db_path))


@pytest.fixture
def own_postgres_database() -> Iterator[tuple[str, str, str]]:
    """A PostgreSQL database for this test alone: (server URL, database URL, database name)."""
    server = backends.postgres_url()
    if not server:
        pytest.skip("CONVOSCOPE_TEST_POSTGRES_URL not set")
    with backends.temporary_database(server) as url:
        database = Database(url)
        upgrade(database.engine)
        database.dispose()
        yield server, url, url.rsplit("/", 1)[1].split("?")[0]


@pytest.mark.postgres
def test_postgres_refusing_connections_answers_503_and_recovers(
    tmp_path: Path, own_postgres_database: tuple[str, str, str]
) -> None:
    server, url, name = own_postgres_database
    settings = make_settings(
        tmp_path / "data", database_url=url, queue_url=None, server={"run_worker": False}
    )
    with TestClient(create_app(settings)) as client:
        auth = {"x-api-key": get_token(client)}
        assert_down_then_back(client, auth, postgres_refusing(server, name))


def test_redis_going_away_keeps_the_job_and_readyz_says_so(tmp_path: Path) -> None:
    port = free_port()  # nothing listens here: the queue is down
    settings = make_settings(
        tmp_path / "data",
        queue_url=f"redis://127.0.0.1:{port}/0",
        server={"run_worker": False},
        jobs={"lease_seconds": 0.5},
    )
    with TestClient(create_app(settings)) as client:
        auth = {"x-api-key": get_token(client)}
        submitted = client.post("/v1/process/text", json=text_body("Nothing is lost."), headers=auth)
        assert submitted.status_code == 201, submitted.text
        job = client.get(f"/v1/job/{submitted.json()['jobId']}", headers=auth).json()
        assert job["status"] == "in_progress"  # queued: clients poll on until it ends
        ready = client.get("/readyz")
        assert ready.status_code == 503
        assert ready.json()["checks"]["queue"]["ok"] is False
        assert ready.json()["checks"]["database"]["ok"] is True
        if not shutil.which("redis-server"):
            pytest.skip("redis-server is not installed: recovery not checked")
        services = services_of(client)
        with redis_server(port):
            assert client.get("/readyz").status_code == 200
            # The lost message is made good by any worker's reaper once the lease has passed.
            reaper = Worker(services, {}, sole_worker=False)
            time.sleep(0.6)
            assert reaper.reap() == 1
            assert services.queue.pending_count() == 1


class FullDisk(MediaStore):
    """A media store whose disk fills up after the first chunk."""

    def _write(self, handle: BinaryIO, chunk: bytes) -> None:
        if handle.tell() > 0:
            raise OSError(errno.ENOSPC, "No space left on device")
        super()._write(handle, chunk)


def assert_upload_is_507_and_nothing_stored(client: TestClient, media_dir: Path) -> None:
    auth = {"x-api-key": get_token(client)}
    before = stored_rows(services_of(client))
    body = (SHARED_DATA / "jfk.flac").read_bytes()
    response = client.post("/v1/process/audio", content=body, headers={**auth, "Content-Type": "audio/flac"})
    assert response.status_code == 507, response.text
    assert "no room" in response.json()["message"]
    assert stored_rows(services_of(client)) == before
    assert [p.name for p in media_dir.iterdir()] == []  # not even a partial file


def test_full_disk_during_upload_is_507_and_leaves_nothing(tmp_path: Path) -> None:
    settings = make_settings(tmp_path / "data", server={"run_worker": False})
    with TestClient(create_app(settings)) as client:
        services_of(client).media = FullDisk(settings.media_dir)
        assert_upload_is_507_and_nothing_stored(client, settings.media_dir)


def test_full_tmpfs_during_upload_is_507_and_leaves_nothing(tmp_path: Path) -> None:
    """The real thing: the media dir is a 64 KiB tmpfs and jfk.flac is larger."""
    settings = make_settings(tmp_path / "data", server={"run_worker": False})
    settings.media_dir.mkdir(parents=True)
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(settings.media_dir)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        with TestClient(create_app(settings)) as client:
            assert_upload_is_507_and_nothing_stored(client, settings.media_dir)
    finally:
        subprocess.run(["umount", str(settings.media_dir)], check=True)
