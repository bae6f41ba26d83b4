"""The UI's extension endpoints: a conversation's jobs, its media (with Range), and search."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from convoscope import auth as app_auth
from tests.fixtures.api import get_token, text_body, wait_for_job
from tests.fixtures.paths import SHARED_DATA

JFK = SHARED_DATA / "jfk.flac"


@pytest.fixture
def other_auth(client: TestClient) -> dict[str, str]:
    """A second app (tenant) with its own token."""
    services = client.app.state.services  # type: ignore[attr-defined]
    with services.db.session() as session:
        credentials = app_auth.create_app(session, name="other")
    return {"Authorization": f"Bearer {get_token(client, credentials.app_id, credentials.app_secret)}"}


@pytest.fixture
def audio_conversation(client: TestClient, auth: dict[str, str]) -> dict[str, Any]:
    """jfk.flac uploaded and processed with the tiny model."""
    response = client.post("/v1/process/audio?name=Moon%20speech", content=JFK.read_bytes(), headers=auth)
    assert response.status_code == 201, response.text
    ids: dict[str, Any] = response.json()
    assert wait_for_job(client, ids["jobId"], auth, timeout=300)["status"] == "completed"
    return ids


@pytest.fixture
def settings(tmp_path: Path) -> Any:
    from tests.fixtures.settings import make_settings

    return make_settings(tmp_path / "data", asr={"model": "tiny.en"})


def test_jobs_lists_the_conversations_jobs(
    client: TestClient, auth: dict[str, str], submit_text: Any
) -> None:
    first = submit_text(text_body("Hello there. We ship on Friday.", name="Standup"))
    second = submit_text(text_body("One more thing."), conversation_id=first["conversationId"])
    response = client.get(f"/v1/conversations/{first['conversationId']}/jobs", headers=auth)
    assert response.status_code == 200
    jobs = response.json()["jobs"]
    assert [j["id"] for j in jobs] == [first["jobId"], second["jobId"]]
    assert all(j["status"] == "completed" and j["kind"] == "text" for j in jobs)
    assert all(j["created"].endswith("Z") and j["hasMedia"] is False for j in jobs)


def test_jobs_of_unknown_or_foreign_conversation_is_404(
    client: TestClient, auth: dict[str, str], other_auth: dict[str, str], submit_text: Any
) -> None:
    ids = submit_text(text_body("Private words."))
    for headers, cid in ((auth, "123"), (other_auth, ids["conversationId"])):
        response = client.get(f"/v1/conversations/{cid}/jobs", headers=headers)
        assert response.status_code == 404
        assert "message" in response.json()
    assert client.get(f"/v1/conversations/{ids['conversationId']}/jobs").status_code == 401


@pytest.mark.slow
def test_media_is_served_with_ranges_and_isolated(
    client: TestClient, auth: dict[str, str], other_auth: dict[str, str], audio_conversation: dict[str, Any]
) -> None:
    cid, job_id = audio_conversation["conversationId"], audio_conversation["jobId"]
    size = JFK.stat().st_size
    url = f"/v1/conversations/{cid}/media/{job_id}"

    jobs = client.get(f"/v1/conversations/{cid}/jobs", headers=auth).json()["jobs"]
    assert jobs[0]["hasMedia"] is True and jobs[0]["mediaOffset"] == 0
    assert jobs[0]["mediaDuration"] == pytest.approx(11.0, abs=0.1)

    whole = client.get(url, headers=auth)
    assert whole.status_code == 200
    assert whole.headers["content-type"] == "audio/flac"
    assert whole.headers["accept-ranges"] == "bytes"
    assert whole.content == JFK.read_bytes()

    part = client.get(url, headers={**auth, "Range": "bytes=100-199"})
    assert part.status_code == 206
    assert part.headers["content-range"] == f"bytes 100-199/{size}"
    assert part.content == JFK.read_bytes()[100:200]

    tail = client.get(url, headers={**auth, "Range": "bytes=-10"})
    assert tail.status_code == 206 and tail.content == JFK.read_bytes()[-10:]

    beyond = client.get(url, headers={**auth, "Range": f"bytes={size + 10}-"})
    assert beyond.status_code == 416

    # An <audio src> cannot send headers: it gets a short-lived signed link (never the token).
    link = client.get(f"{url}/link", headers=auth).json()["url"]
    assert client.get(link, headers={"Range": "bytes=100-199"}).content == JFK.read_bytes()[100:200]
    token = auth["Authorization"].removeprefix("Bearer ")
    assert client.get(f"{url}?access_token={token}").status_code == 401
    assert client.get(url).status_code == 401

    assert client.get(url, headers=other_auth).status_code == 404
    assert client.get(f"/v1/conversations/{cid}/media/not-a-job", headers=auth).status_code == 404


def test_media_of_a_text_job_is_404(client: TestClient, auth: dict[str, str], submit_text: Any) -> None:
    ids = submit_text(text_body("No audio here."))
    response = client.get(f"/v1/conversations/{ids['conversationId']}/media/{ids['jobId']}", headers=auth)
    assert response.status_code == 404
    assert response.json() == {"message": "The job has no media file."}


def test_search_by_name_and_spoken_words(
    client: TestClient, auth: dict[str, str], other_auth: dict[str, str], submit_text: Any
) -> None:
    budget = submit_text(text_body("We discussed the marketing budget for next year.", name="Planning"))
    hiring = submit_text(text_body("Who should interview the interns?", name="Hiring sync"))
    submit_text(text_body("Nothing relevant.", name="Random"))

    def search(q: str, headers: dict[str, str] = auth, **params: Any) -> dict[str, Any]:
        response = client.get("/v1/search", params={"q": q, **params}, headers=headers)
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    spoken = search("Marketing BUDGET")
    assert [c["id"] for c in spoken["conversations"]] == [budget["conversationId"]]
    assert "marketing budget" in spoken["conversations"][0]["snippet"]
    assert spoken["total"] == 1

    named = search("hiring")
    assert [c["id"] for c in named["conversations"]] == [hiring["conversationId"]]
    assert named["conversations"][0]["snippet"] is None

    # Words may match in the name or in what was said; all of them must match.
    assert search("hiring interns")["total"] == 1
    assert search("hiring budget")["total"] == 0
    # LIKE wildcards are literal.
    assert search("%")["total"] == 0

    everything = search("")
    assert everything["total"] == 3
    page = search("", limit=2, offset=2)
    assert len(page["conversations"]) == 1

    assert search("budget", headers=other_auth)["total"] == 0
    assert client.get("/v1/search?q=x&limit=0", headers=auth).status_code == 400
    assert client.get("/v1/search?q=x").status_code == 401


def test_search_orders_newest_first(client: TestClient, auth: dict[str, str], submit_text: Any) -> None:
    older = submit_text(text_body("Alpha words.", name="Older"))
    newer = submit_text(text_body("Alpha words.", name="Newer"))
    found = client.get("/v1/search?q=alpha", headers=auth).json()["conversations"]
    assert [c["id"] for c in found] == [newer["conversationId"], older["conversationId"]]


def test_languages_are_listed_in_symbls_order_behind_the_same_auth(
    client: TestClient, auth: dict[str, str]
) -> None:
    assert client.get("/v1/languages").status_code == 401
    response = client.get("/v1/languages", headers=auth)
    assert response.status_code == 200
    languages = response.json()["languages"]
    assert languages[:3] == ["en-US", "en-GB", "en-AU"] and languages[-1] == "fa-IR" and len(languages) == 20
    refused = client.post(
        "/v1/process/audio/url?languageCode=xx-XX", json={"url": "http://x/a.mp3"}, headers=auth
    )
    assert refused.status_code == 400 and ", ".join(languages) in refused.json()["message"]
