"""Media files no row points at are swept when a worker starts; files in use are not."""

from __future__ import annotations

import os
import time
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import select

from convoscope.api.app import create_app
from convoscope.storage import MediaStore
from convoscope.tables import Job
from tests.fixtures.api import get_token
from tests.fixtures.paths import SHARED_DATA
from tests.fixtures.settings import make_settings


def backdate(path: Path, hours: float = 2) -> None:
    then = time.time() - hours * 3600
    os.utime(path, (then, then))


def test_a_starting_worker_sweeps_orphans_and_keeps_what_is_in_use(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    # An API node without a worker takes an upload: its job stays scheduled, its file has a row.
    with TestClient(create_app(make_settings(data_dir, server={"run_worker": False}))) as client:
        response = client.post(
            "/v1/process/audio",
            content=(SHARED_DATA / "jfk.flac").read_bytes(),
            headers={"x-api-key": get_token(client), "Content-Type": "audio/flac"},
        )
        assert response.status_code == 201, response.text
        services = client.app.state.services  # type: ignore[attr-defined]
        with services.db.session() as session:
            uploaded = session.scalars(select(Job.media_path)).one()
        job_id = response.json()["jobId"]
    store = MediaStore(data_dir / "media")
    planted = {
        "orphan": store.new_key(),  # a download whose row was never stored
        "recent orphan": store.new_key(),  # young: may be an upload a moment before its row
        "partial upload": f".{store.new_key()}.part",
        "partial download": f".{store.new_key()}.part-4242",
        "bleep being written": f"{uploaded}.bleeping",
        "download of a scheduled job": store.download_key(job_id),
        "download of a deleted job": store.download_key("no-such-job"),
    }
    for name in planted.values():
        (store.root / name).write_bytes(b"media")
    for label, name in [*planted.items(), ("upload", uploaded)]:
        if label != "recent orphan":
            backdate(store.root / name)
    with TestClient(create_app(make_settings(data_dir, asr={"model": "tiny.en"}))):
        left = {name for name, _ in store.files()}
    kept = {uploaded, planted["recent orphan"], planted["download of a scheduled job"]}
    assert left == kept
