"""Media that makes native code misbehave, through the real HTTP app and its in-process worker.

Many-channel audio is decoded (or refused above the channel limit), never crashes; a decoder that
crashes costs its job (failed at once, with a message), never the server; playlists that name other
files are refused before anything they name is opened.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from convoscope import api_keys
from convoscope.pipeline import isolated
from convoscope.tables import Job
from tests.fixtures import crashing
from tests.fixtures import hostile_media as hostile
from tests.fixtures.api import get_token, wait_for_job
from tests.fixtures.paths import SHARED_DATA
from tests.fixtures.records import stored
from tests.fixtures.settings import APP_ID


@pytest.fixture(scope="module")
def auth(media_client: TestClient) -> dict[str, str]:
    # The root conftest's `auth` is a key for another app.
    return {"x-api-key": get_token(media_client)}


def upload(client: TestClient, auth: dict[str, str], body: bytes, content_type: str, query: str = "") -> Any:
    headers = {**auth, "Content-Type": content_type}
    return client.post(f"/v1/process/audio{query}", content=body, headers=headers)


def attempts(client: TestClient, job_id: str) -> int:
    with client.app.state.services.db.session() as session:  # type: ignore[attr-defined]
        job = session.get(Job, job_id)
        assert job is not None
        return int(job.attempts)


def test_the_server_answers(media_client: TestClient) -> None:
    assert media_client.get("/healthz").status_code == 200


@pytest.mark.parametrize("channels", [8, 9, 16, 32])
def test_a_many_channel_wav_is_transcribed_and_the_server_goes_on(
    media_client: TestClient, auth: dict[str, str], channels: int
) -> None:
    response = upload(media_client, auth, hostile.multichannel_wav(channels), "audio/wav")
    assert response.status_code == 201, response.text
    job = wait_for_job(media_client, response.json()["jobId"], auth, timeout=60)
    assert job["status"] == "completed", job
    assert media_client.get("/healthz").status_code == 200


def test_the_openai_route_transcribes_eight_channels_too(media_client: TestClient) -> None:
    services = media_client.app.state.services  # type: ignore[attr-defined]
    with services.db.session() as session:
        key = api_keys.create_key(session, APP_ID).key
    response = media_client.post(
        "/v1/audio/transcriptions",
        files={"file": ("eight.wav", hostile.multichannel_wav(8), "audio/wav")},
        data={"model": "whisper-1"},
        headers={"Authorization": f"Bearer {key}"},
    )
    assert response.status_code == 200, response.text
    assert media_client.get("/healthz").status_code == 200


def test_more_channels_than_the_limit_is_400_and_stores_nothing(
    media_client: TestClient, auth: dict[str, str]
) -> None:
    before = stored(media_client)
    response = upload(media_client, auth, hostile.multichannel_wav(64), "audio/wav")
    assert response.status_code == 400, response.text
    assert "64 channels, more than the limit of 32" in response.json()["message"]
    assert stored(media_client) == before


def test_the_length_limit_counts_each_channel_transcribed_on_its_own(
    media_client: TestClient, auth: dict[str, str]
) -> None:
    """8 channels of 5 s: 40 s to transcribe one by one, over the 30 s limit; 5 s mixed is under."""
    body = hostile.multichannel_wav(8, seconds=5)
    split = upload(media_client, auth, body, "audio/wav", "?enableSeparateRecognitionPerChannel=true")
    assert split.status_code == 400, split.text
    assert "8 channels" in split.json()["message"] and "limit" in split.json()["message"]
    mixed = upload(media_client, auth, body, "audio/wav")
    assert mixed.status_code == 201, mixed.text
    assert wait_for_job(media_client, mixed.json()["jobId"], auth, timeout=60)["status"] == "completed"


@pytest.mark.parametrize("crash", [crashing.abort_decoder, crashing.segfault_decoder])
def test_a_decoder_crash_fails_its_job_at_once_and_the_server_goes_on(
    media_client: TestClient,
    auth: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
    crash: Callable[..., None],
) -> None:
    audio = (SHARED_DATA / "jfk.flac").read_bytes()
    monkeypatch.setattr(isolated, "probed_frames_target", lambda: crash)  # the job's probe and decode
    response = upload(media_client, auth, audio, "audio/flac")
    assert response.status_code == 201, response.text
    job_id = response.json()["jobId"]
    job = wait_for_job(media_client, job_id, auth, timeout=60)
    assert job["status"] == "failed", job
    assert "the decoder crashed on this file" in job["message"], job
    assert attempts(media_client, job_id) == 1  # not run again until the attempts run out
    monkeypatch.undo()
    again = upload(media_client, auth, audio, "audio/flac")
    assert wait_for_job(media_client, again.json()["jobId"], auth, timeout=120)["status"] == "completed"


def _reads_are_seen(folder: Path) -> bool:
    """Whether this file system records reads in the access time (relatime: when atime < mtime)."""
    probe = folder / "atime-probe"
    probe.write_bytes(b"x")
    backdate(probe)
    before = probe.stat().st_atime
    probe.read_bytes()
    seen = probe.stat().st_atime != before
    probe.unlink()
    return seen


def backdate(path: Path) -> None:
    """Set the access time well before the modification time, so that the next read updates it."""
    mtime = path.stat().st_mtime
    os.utime(path, (mtime - 3 * 86400, mtime))


@pytest.mark.parametrize(
    "playlist", [hostile.ffconcat_naming, hostile.hls_playlist_naming], ids=["ffconcat", "hls"]
)
def test_a_playlist_naming_another_file_is_refused_and_that_file_never_read(
    media_client: TestClient, auth: dict[str, str], playlist: Callable[[str], bytes]
) -> None:
    media_dir: Path = media_client.app.state.services.settings.media_dir  # type: ignore[attr-defined]
    media_dir.mkdir(parents=True, exist_ok=True)
    victim = media_dir / "another-tenants-media"
    victim.write_bytes((SHARED_DATA / "jfk.flac").read_bytes())
    try:
        backdate(victim)
        atime = victim.stat().st_atime
        before = stored(media_client)
        response = upload(media_client, auth, playlist(victim.name), "audio/wav")
        assert response.status_code == 400, response.text
        assert "not a readable audio or video file" in response.json()["message"]
        assert stored(media_client) == before
        if _reads_are_seen(media_dir):
            assert victim.stat().st_atime == atime, "the named file was read"
    finally:
        victim.unlink()
