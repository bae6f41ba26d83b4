"""Audio and video through the HTTP API: uploads, URLs, channels, phone audio, appends, bad media.

Real speech (../shared/data) and the real `tiny.en` model; one server for the module so the model
loads once.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from convoscope.api.app import create_app
from tests.fixtures.api import get_token, wait_for_job
from tests.fixtures.media import make_mp4
from tests.fixtures.paths import SHARED_DATA
from tests.fixtures.settings import make_settings

JFK = SHARED_DATA / "jfk.flac"


@pytest.fixture(scope="module")
def media_client(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    settings = make_settings(
        tmp_path_factory.mktemp("media"),
        asr={"model": "tiny.en"},
        fetch={"allow": ["127.0.0.1"]},
        limits={"media_bytes": 5_000_000},
    )
    with TestClient(create_app(settings)) as client:
        yield client


@pytest.fixture(scope="module")
def auth(media_client: TestClient) -> dict[str, str]:
    return {"x-api-key": get_token(media_client)}


def upload(
    client: TestClient, auth: dict[str, str], path: Path, url: str = "/v1/process/audio", **headers: str
) -> Any:
    return client.post(url, content=path.read_bytes(), headers={**auth, "Content-Type": "", **headers})


def finished(client: TestClient, auth: dict[str, str], response: Any) -> dict[str, Any]:
    assert response.status_code == 201, response.text
    ids: dict[str, Any] = response.json()
    ids["job"] = wait_for_job(client, ids["jobId"], auth, timeout=300)
    return ids


def messages(client: TestClient, auth: dict[str, str], cid: str, query: str = "") -> list[dict[str, Any]]:
    response = client.get(f"/v1/conversations/{cid}/messages{query}", headers=auth)
    assert response.status_code == 200
    return list(response.json()["messages"])


@pytest.mark.slow
def test_flac_upload_with_empty_content_type_is_transcribed(
    media_client: TestClient, auth: dict[str, str]
) -> None:
    ids = finished(media_client, auth, upload(media_client, auth, JFK))
    assert ids["job"]["status"] == "completed"
    found = messages(media_client, auth, ids["conversationId"], "?verbose=true")
    text = " ".join(m["text"] for m in found).lower()
    assert "ask not what your country can do for you" in text
    assert found[0]["timeOffset"] == 0.0 and found[0]["duration"] > 1
    words = [w for m in found for w in m["words"]]
    assert len(words) > 15
    assert all(0 <= w["score"] <= 1 and w["duration"] >= 0 for w in words)
    offsets = [w["timeOffset"] for w in words]
    assert offsets == sorted(offsets) and offsets[-1] < 11.5
    assert all(m["from"] == {} for m in found)


@pytest.mark.slow
def test_append_continues_the_timeline(media_client: TestClient, auth: dict[str, str]) -> None:
    first = finished(media_client, auth, upload(media_client, auth, JFK))
    cid = first["conversationId"]
    before = messages(media_client, auth, cid)
    response = media_client.put(f"/v1/process/audio/{cid}", content=JFK.read_bytes(), headers=auth)
    second = finished(media_client, auth, response)
    assert second["conversationId"] == cid
    after = messages(media_client, auth, cid)
    assert [m["id"] for m in after[: len(before)]] == [m["id"] for m in before]
    appended = after[len(before) :]
    assert appended and min(m["timeOffset"] for m in appended) >= 10.5
    starts = [m["startTime"] for m in after]
    assert starts == sorted(starts)


@pytest.mark.slow
def test_stereo_per_channel_with_channel_metadata(media_client: TestClient, auth: dict[str, str]) -> None:
    query = (
        "?enableSeparateRecognitionPerChannel=true"
        '&channelMetadata=[{"channel":1,"speaker":{"name":"Left","email":"left@example.com"}},'
        '{"channel":2,"speaker":{"name":"Right"}}]'
    )
    response = upload(
        media_client, auth, SHARED_DATA / "stereo_diarization.wav", url=f"/v1/process/audio{query}"
    )
    ids = finished(media_client, auth, response)
    found = messages(media_client, auth, ids["conversationId"])
    names = {m["from"].get("name") for m in found}
    assert names == {"Left", "Right"}
    members = media_client.get(f"/v1/conversations/{ids['conversationId']}/members", headers=auth).json()[
        "members"
    ]
    assert {"name": "Left", "email": "left@example.com"}.items() <= next(
        m for m in members if m["name"] == "Left"
    ).items()


@pytest.mark.slow
def test_phone_mode_8khz(media_client: TestClient, auth: dict[str, str]) -> None:
    response = upload(
        media_client, auth, SHARED_DATA / "osr_us_000_0034_8k.wav", url="/v1/process/audio?mode=phone"
    )
    ids = finished(media_client, auth, response)
    text = " ".join(m["text"] for m in messages(media_client, auth, ids["conversationId"])).lower()
    assert "ring will please" in text and "severe storm tore down the barn" in text


@pytest.mark.slow
def test_mp4_video_upload(media_client: TestClient, auth: dict[str, str], tmp_path: Path) -> None:
    video = make_mp4(SHARED_DATA / "osr_us_000_0034_8k.wav", tmp_path / "talk.mp4")
    response = upload(media_client, auth, video, url="/v1/process/video", **{"Content-Type": "video/mp4"})
    ids = finished(media_client, auth, response)
    assert ids["job"]["status"] == "completed"
    text = " ".join(m["text"] for m in messages(media_client, auth, ids["conversationId"])).lower()
    assert "severe storm tore down the barn" in text


@pytest.mark.slow
def test_url_submit_from_a_loopback_server(
    media_client: TestClient, auth: dict[str, str], file_server: str
) -> None:
    response = media_client.post(
        "/v1/process/audio/url", json={"url": f"{file_server}/jfk.flac", "name": "JFK"}, headers=auth
    )
    ids = finished(media_client, auth, response)
    assert ids["job"]["status"] == "completed", ids["job"]
    assert (
        "country" in " ".join(m["text"] for m in messages(media_client, auth, ids["conversationId"])).lower()
    )
    conversation = media_client.get(f"/v1/conversations/{ids['conversationId']}", headers=auth).json()
    assert conversation["name"] == "JFK"


def test_url_failures_end_the_job_failed_with_the_reason(
    media_client: TestClient, auth: dict[str, str], file_server: str
) -> None:
    missing = media_client.post(
        "/v1/process/audio/url", json={"url": f"{file_server}/nope.wav"}, headers=auth
    )
    assert "404" in finished(media_client, auth, missing)["job"]["message"]
    not_media = media_client.post(
        "/v1/process/audio/url", json={"url": f"{file_server}/jfk.txt"}, headers=auth
    )
    assert finished(media_client, auth, not_media)["job"]["status"] == "failed"
    # localhost is loopback but only 127.0.0.1 is allowed here: refused before any connection.
    port = file_server.rsplit(":", 1)[1]
    refused = media_client.post(
        "/v1/process/video/url", json={"url": f"http://[::1]:{port}/jfk.flac"}, headers=auth
    )
    body = finished(media_client, auth, refused)["job"]
    assert body["status"] == "failed" and "download" in body["message"].lower()


@pytest.mark.parametrize(
    ("content", "headers", "status", "fragment"),
    [
        (b"", {}, 400, "empty"),
        (b"hello, this is plain text and not audio at all" * 10, {}, 400, ""),
        (JFK.read_bytes()[:2000], {}, 400, ""),
        (JFK.read_bytes(), {"Content-Type": "text/plain"}, 400, "Content-Type"),
        (b"x" * 6_000_000, {}, 413, "limit"),
    ],
)
def test_bad_uploads_are_refused_and_store_nothing(
    media_client: TestClient,
    auth: dict[str, str],
    content: bytes,
    headers: dict[str, str],
    status: int,
    fragment: str,
) -> None:
    before = len(media_client.get("/v1/conversations?limit=1000", headers=auth).json()["conversations"])
    response = media_client.post("/v1/process/audio", content=content, headers={**auth, **headers})
    assert response.status_code == status, response.text
    assert fragment in response.json()["message"]
    assert (
        len(media_client.get("/v1/conversations?limit=1000", headers=auth).json()["conversations"]) == before
    )


@pytest.mark.parametrize(
    ("url", "json"),
    [
        ("/v1/process/audio?languageCode=xx-XX", None),
        ("/v1/process/audio/url", {"url": "ftp://example.com/a.wav"}),
        ("/v1/process/audio/url", {"name": "no url"}),
        ("/v1/process/video/url", {"url": 5}),
    ],
)
def test_bad_media_parameters_are_400(
    media_client: TestClient, auth: dict[str, str], url: str, json: dict[str, Any] | None
) -> None:
    if json is None:
        response = media_client.post(url, content=JFK.read_bytes(), headers=auth)
    else:
        response = media_client.post(url, json=json, headers=auth)
    assert response.status_code == 400
    assert response.json()["message"]


def test_append_media_to_unknown_conversation_is_404(media_client: TestClient, auth: dict[str, str]) -> None:
    response = media_client.put("/v1/process/audio/9999999999999999", content=JFK.read_bytes(), headers=auth)
    assert response.status_code == 404
