"""Media URLs that fail: the job's message says nothing of our network (what a name resolves to),
and nothing downloaded for a failed job stays in the media store."""

from __future__ import annotations

import socket
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from convoscope.api.app import create_app
from convoscope.fetch import FetchError, fetch_to_file
from convoscope.pipeline import isolated
from tests.fixtures import crashing
from tests.fixtures.api import get_token, wait_for_job
from tests.fixtures.settings import make_settings


@pytest.fixture(scope="module")
def url_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    settings = make_settings(tmp_path_factory.mktemp("urls") / "data", asr={"model": "tiny.en"})
    with TestClient(create_app(settings)) as client:
        yield client


@pytest.fixture(scope="module")
def auth(url_client: TestClient) -> dict[str, str]:
    return {"x-api-key": get_token(url_client)}


def media_files(client: TestClient) -> list[str]:
    media_dir: Path = client.app.state.services.settings.media_dir  # type: ignore[attr-defined]
    return sorted(p.name for p in media_dir.iterdir()) if media_dir.exists() else []


def test_a_refused_name_does_not_say_what_it_resolves_to(
    url_client: TestClient, auth: dict[str, str], loopback_only: None
) -> None:
    """`localhost` resolves to loopback (refused: fetch.allow is empty); the job says so without
    the address or its kind."""
    response = url_client.post(
        "/v1/process/audio/url", json={"url": "http://localhost:9/a.mp3"}, headers=auth
    )
    assert response.status_code == 201, response.text
    job = wait_for_job(url_client, response.json()["jobId"], auth, timeout=30)
    assert job["status"] == "failed"
    assert "not allowed" in job["message"]
    for leak in ("127.0.0.1", "::1", "loopback", "resolves to"):
        assert leak not in job["message"], job["message"]


def test_an_unknown_name_and_a_private_one_look_the_same(tmp_path: Path) -> None:
    """What users are told cannot tell a name that does not exist from one that is internal."""

    def internal(host: str, port: int) -> list[str]:
        return ["10.20.30.40"]

    def unknown(host: str, port: int) -> list[str]:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    messages = []
    for resolver in (internal, unknown):
        with pytest.raises(FetchError) as caught:
            fetch_to_file("http://intranet.example/a.mp3", tmp_path / "out", resolver=resolver)
        messages.append(caught.value.public_message)
        assert "10.20.30.40" not in caught.value.public_message
    assert messages[0] == messages[1]
    assert not list(tmp_path.iterdir())


def test_a_download_whose_job_fails_is_removed(file_server: str, tmp_path: Path) -> None:
    """The README of the clips downloads fine but is not media: the job fails, the file goes."""
    settings = make_settings(tmp_path / "data", fetch={"allow": ["127.0.0.1"]})  # the file server
    with TestClient(create_app(settings)) as client:
        auth = {"x-api-key": get_token(client)}
        response = client.post(
            "/v1/process/audio/url", json={"url": f"{file_server}/README.md"}, headers=auth
        )
        assert response.status_code == 201, response.text
        job = wait_for_job(client, response.json()["jobId"], auth, timeout=30)
        assert job["status"] == "failed" and "not a readable audio or video file" in job["message"], job
        assert media_files(client) == []


def test_a_download_whose_conversation_is_deleted_meanwhile_is_removed(
    file_server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The conversation goes while its job decodes what it downloaded: the results are not stored,
    and the download goes too."""
    monkeypatch.setattr(isolated, "probed_frames_target", lambda: crashing.slow_probing_decoder)
    settings = make_settings(tmp_path / "data", fetch={"allow": ["127.0.0.1"]}, asr={"model": "tiny.en"})
    with TestClient(create_app(settings)) as client:
        auth = {"x-api-key": get_token(client)}
        response = client.post("/v1/process/audio/url", json={"url": f"{file_server}/jfk.flac"}, headers=auth)
        assert response.status_code == 201, response.text
        assert _within(30, lambda: any(".job-" in name for name in media_files(client)))
        deleted = client.delete(f"/v1/conversations/{response.json()['conversationId']}", headers=auth)
        assert deleted.status_code == 200, deleted.text
        assert _within(60, lambda: media_files(client) == [])


def _within(seconds: float, condition: Callable[[], bool]) -> bool:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True
