"""The per-app media storage quota: an upload past it answers 413 and stores nothing; a URL submit
is refused once it is used up; deleting a conversation frees its media's share."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from convoscope.api.app import create_app
from tests.fixtures.api import get_token
from tests.fixtures.paths import SHARED_DATA
from tests.fixtures.records import stored
from tests.fixtures.settings import make_settings


def test_uploads_past_the_quota_are_413_until_space_is_freed(tmp_path: Path) -> None:
    audio = (SHARED_DATA / "jfk.flac").read_bytes()
    settings = make_settings(
        tmp_path / "data", server={"run_worker": False}, limits={"storage_bytes": len(audio)}
    )
    with TestClient(create_app(settings)) as client:
        auth = {"x-api-key": get_token(client), "Content-Type": "audio/flac"}
        first = client.post("/v1/process/audio", content=audio, headers=auth)
        assert first.status_code == 201, first.text

        before = stored(client)
        second = client.post("/v1/process/audio", content=audio, headers=auth)
        assert second.status_code == 413, second.text
        assert "storage quota" in second.json()["message"]
        by_url = client.post("/v1/process/audio/url", json={"url": "https://example.com/a.mp3"}, headers=auth)
        assert by_url.status_code == 413, by_url.text
        assert "used up" in by_url.json()["message"]
        assert stored(client) == before

        deleted = client.delete(f"/v1/conversations/{first.json()['conversationId']}", headers=auth)
        assert deleted.status_code == 200, deleted.text
        third = client.post("/v1/process/audio", content=audio, headers=auth)
        assert third.status_code == 201, third.text


def test_no_quota_by_default(tmp_path: Path) -> None:
    audio = (SHARED_DATA / "jfk.flac").read_bytes()
    with TestClient(create_app(make_settings(tmp_path / "data", server={"run_worker": False}))) as client:
        auth = {"x-api-key": get_token(client), "Content-Type": "audio/flac"}
        for _ in range(3):
            assert client.post("/v1/process/audio", content=audio, headers=auth).status_code == 201
