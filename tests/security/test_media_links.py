"""Media URLs: signed, short-lived and bound to one app's conversation and job; tokens and API keys
are never taken from the query string; media requests count against the app's request rate."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from convoscope import api_keys, media_links
from convoscope import auth as auth_service
from convoscope.api.app import create_app
from tests.fixtures.api import get_token
from tests.fixtures.paths import SHARED_DATA
from tests.fixtures.settings import APP_ID, make_settings

JFK = SHARED_DATA / "jfk.flac"


@pytest.fixture
def media_client(tmp_path: Path) -> Iterator[TestClient]:
    """No worker: the uploads stay scheduled, their media on disk."""
    settings = make_settings(
        tmp_path / "data", server={"run_worker": False}, limits={"requests_per_minute": 40}
    )
    with TestClient(create_app(settings)) as client:
        yield client


def upload(client: TestClient, headers: dict[str, str]) -> tuple[str, str]:
    response = client.post("/v1/process/audio", content=JFK.read_bytes(), headers=headers)
    assert response.status_code == 201, response.text
    return response.json()["conversationId"], response.json()["jobId"]


def test_media_links_are_signed_short_lived_and_bound(media_client: TestClient) -> None:
    client = media_client
    auth = {"Authorization": f"Bearer {get_token(client)}"}
    cid, job_id = upload(client, auth)
    cid2, job2 = upload(client, auth)
    answer = client.get(f"/v1/conversations/{cid}/media/{job_id}/link", headers=auth).json()
    assert answer["expiresIn"] == 900 and "signature=" in answer["url"]
    assert auth["Authorization"].split()[1] not in answer["url"]
    assert client.get(answer["url"]).content == JFK.read_bytes()

    query = answer["url"].split("?", 1)[1]
    refused = [
        f"/v1/conversations/{cid2}/media/{job2}?{query}",  # another conversation's media
        f"/v1/conversations/{cid}/media/{job2}?{query}",  # another job
        answer["url"][:-2] + "AA",  # tampered
        answer["url"].replace("expires=", "expires=9"),  # a later expiry
        f"/v1/conversations/no-such/media/{job_id}?{query}",
    ]
    services = client.app.state.services  # type: ignore[attr-defined]
    expired = media_links.sign(services.signing_key, APP_ID, cid, job_id, time.time() - 3600, 900)
    for url in [*refused, expired.url]:
        response = client.get(url)
        assert response.status_code == 401, url
        assert response.json() == {"message": "The media link is invalid or has expired."}


def test_another_app_cannot_get_a_link(media_client: TestClient) -> None:
    client = media_client
    cid, job_id = upload(client, {"x-api-key": get_token(client)})
    services = client.app.state.services  # type: ignore[attr-defined]
    with services.db.session() as session:
        other = auth_service.create_app(session, name="other")
    intruder = {"x-api-key": get_token(client, other.app_id, other.app_secret)}
    assert client.get(f"/v1/conversations/{cid}/media/{job_id}/link", headers=intruder).status_code == 404
    # A link signed for the other app does not open this app's conversation.
    forged = media_links.sign(services.signing_key, other.app_id, cid, job_id, time.time(), 900)
    assert client.get(forged.url).status_code == 401


def test_credentials_in_the_query_string_are_refused(media_client: TestClient) -> None:
    client = media_client
    token = get_token(client)
    cid, job_id = upload(client, {"x-api-key": token})
    services = client.app.state.services  # type: ignore[attr-defined]
    with services.db.session() as session:
        key = api_keys.create_key(session, APP_ID).key
    for credential in (token, key):
        for name in ("access_token", "api_key", "x-api-key", "token"):
            response = client.get(f"/v1/conversations/{cid}/media/{job_id}?{name}={credential}")
            assert response.status_code == 401, name
            assert client.get(f"/v1/conversations?{name}={credential}").status_code == 401


def test_media_requests_count_against_the_app_rate(media_client: TestClient) -> None:
    client = media_client
    auth = {"x-api-key": get_token(client)}
    cid, job_id = upload(client, auth)
    url = client.get(f"/v1/conversations/{cid}/media/{job_id}/link", headers=auth).json()["url"]
    codes: list[Any] = [client.get(url, headers={"Range": "bytes=0-9"}).status_code for _ in range(45)]
    assert codes.count(206) < 40 and codes[-1] == 429
