"""The voice library through the HTTP app, on real recordings: enroll, name later speakers, opt out,
rename, delete, per-app isolation, and no voiceprint in any answer."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
from fastapi.testclient import TestClient
from scipy.signal import resample_poly
from sqlalchemy import select

from convoscope import auth as auth_service
from convoscope.api.app import create_app
from convoscope.tables import App, Voice
from tests.fixtures.api import get_token, wait_for_job
from tests.fixtures.diarization import conv2_turns, conv2_turns_wav, wav_bytes
from tests.fixtures.settings import make_settings

pytestmark = pytest.mark.slow

RATE = 16_000


@pytest.fixture(scope="module")
def sample() -> bytes:
    """Speaker 1's first three sentences alone: a sample of one voice."""
    return conv2_turns_wav(range(1, 4), {"sb_spk1"})


@pytest.fixture(scope="module")
def later_call() -> bytes:
    """Both speakers' last three sentences: words the sample does not hold."""
    return conv2_turns_wav(range(4, 7), {"sb_spk1", "sb_spk2"})


@pytest.fixture(scope="module")
def client(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    settings = make_settings(tmp_path_factory.mktemp("voices"), asr={"model": "tiny.en"})
    with TestClient(create_app(settings)) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def auth(client: TestClient) -> dict[str, str]:
    return {"x-api-key": get_token(client)}


def _no_voiceprint(response: Any) -> Any:
    """The answer's JSON, after checking it carries no voiceprint (no key, no long list of floats)."""
    text = response.text
    assert "voiceprint" not in text.lower()
    body = response.json() if text else None

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            assert not (len(value) >= 64 and all(isinstance(v, float) for v in value)), "a vector leaked"
            for item in value:
                walk(item)

    walk(body)
    return body


def _process(client: TestClient, auth: dict[str, str], audio: bytes, query: str = "") -> str:
    url = f"/v1/process/audio?enableSpeakerDiarization=true{query}"
    response = client.post(url, content=audio, headers=auth)
    assert response.status_code == 201, response.text
    job = wait_for_job(client, response.json()["jobId"], auth, timeout=300)
    assert job["status"] == "completed", job
    return str(response.json()["conversationId"])


def _members(client: TestClient, auth: dict[str, str], cid: str) -> list[dict[str, Any]]:
    members: list[dict[str, Any]] = _no_voiceprint(
        client.get(f"/v1/conversations/{cid}/members", headers=auth)
    )["members"]
    return members


def test_an_enrolled_sample_names_the_speaker_in_a_later_call(
    client: TestClient, auth: dict[str, str], sample: bytes, later_call: bytes
) -> None:
    response = client.post(
        "/v1/voices/audio?name=Alice&email=alice@example.com", content=sample, headers=auth
    )
    assert response.status_code == 201, response.text
    voice = _no_voiceprint(response)
    assert voice["name"] == "Alice" and voice["email"] == "alice@example.com" and voice["seconds"] > 5
    assert [v["id"] for v in _no_voiceprint(client.get("/v1/voices", headers=auth))["voices"]] == [
        voice["id"]
    ]

    cid = _process(client, auth, later_call)
    members = _members(client, auth, cid)
    assert sorted(m["name"] for m in members) == ["Alice", "Speaker 1"]  # the other voice stays unnamed
    assert next(m for m in members if m["name"] == "Alice")["email"] == "alice@example.com"
    said = _no_voiceprint(client.get(f"/v1/conversations/{cid}/messages", headers=auth))["messages"]
    assert said[0]["from"]["name"] == "Alice"  # the call opens with her sentence 4

    opted_out = _process(client, auth, later_call, "&enableVoiceLibrary=false")
    assert sorted(m["name"] for m in _members(client, auth, opted_out)) == ["Speaker 1", "Speaker 2"]

    renamed = client.patch(f"/v1/voices/{voice['id']}", json={"name": "Alice B."}, headers=auth)
    assert _no_voiceprint(renamed)["name"] == "Alice B." and renamed.json()["email"] == "alice@example.com"
    assert "Alice B." in [m["name"] for m in _members(client, auth, _process(client, auth, later_call))]

    assert client.delete(f"/v1/voices/{voice['id']}", headers=auth).status_code == 204
    assert client.get("/v1/voices", headers=auth).json() == {"voices": []}
    services = client.app.state.services  # type: ignore[attr-defined]
    with services.db.session() as session:
        assert session.scalars(select(Voice)).all() == []  # the voiceprint is gone too
    after = _process(client, auth, later_call)
    assert sorted(m["name"] for m in _members(client, auth, after)) == ["Speaker 1", "Speaker 2"]


def test_a_member_of_a_processed_call_is_enrolled(
    client: TestClient, auth: dict[str, str], later_call: bytes
) -> None:
    cid = _process(client, auth, later_call, "&enableVoiceLibrary=false")
    first = _members(client, auth, cid)[0]
    response = client.post(
        "/v1/voices", json={"conversationId": cid, "memberId": first["id"], "name": "Bob"}, headers=auth
    )
    assert response.status_code == 201, response.text
    voice = _no_voiceprint(response)
    again = _process(client, auth, later_call)
    assert "Bob" in [m["name"] for m in _members(client, auth, again)]
    assert client.delete(f"/v1/voices/{voice['id']}", headers=auth).status_code == 204


def test_a_wideband_sample_names_its_speaker_on_a_phone_line(
    client: TestClient, auth: dict[str, str], sample: bytes, later_call: bytes
) -> None:
    # The later call as an 8 kHz recording: the sample's own voiceprint measured 0.51 against its
    # speaker there (unnamed), its telephone-band voiceprint 0.90.
    phone_call = wav_bytes(resample_poly(conv2_turns(range(4, 7), {"sb_spk1", "sb_spk2"}), 1, 2), rate=8_000)
    voice = client.post("/v1/voices/audio?name=Erin", content=sample, headers=auth).json()
    members = _members(client, auth, _process(client, auth, phone_call))
    assert sorted(m["name"] for m in members) == ["Erin", "Speaker 1"]
    # Enrolled twice, from the sample and as a member of a call, she is still named (her two
    # voiceprints do not compete with each other).
    cid = _process(client, auth, later_call, "&enableVoiceLibrary=false")
    member = next(m for m in _members(client, auth, cid) if m["name"] == "Speaker 1")
    again = client.post(
        "/v1/voices", json={"conversationId": cid, "memberId": member["id"], "name": "Erin"}, headers=auth
    )
    assert again.status_code == 201, again.text
    assert "Erin" in [m["name"] for m in _members(client, auth, _process(client, auth, later_call))]
    for voice_id in (voice["id"], again.json()["id"]):
        assert client.delete(f"/v1/voices/{voice_id}", headers=auth).status_code == 204


def test_voices_are_per_app_and_go_with_the_app(
    client: TestClient, auth: dict[str, str], sample: bytes, later_call: bytes
) -> None:
    voice = client.post("/v1/voices/audio?name=Carol", content=sample, headers=auth).json()
    services = client.app.state.services  # type: ignore[attr-defined]
    with services.db.session() as session:
        other = auth_service.create_app(session, name="other")
    intruder = {"Authorization": f"Bearer {get_token(client, other.app_id, other.app_secret)}"}

    assert client.get("/v1/voices", headers=intruder).json() == {"voices": []}
    for method, body in (("GET", None), ("PATCH", {"name": "Mallory"}), ("DELETE", None)):
        response = client.request(method, f"/v1/voices/{voice['id']}", json=body, headers=intruder)
        assert response.status_code == 404 and "message" in response.json()
    # The other app's jobs never take this app's names.
    cid = _process(client, intruder, later_call)
    assert sorted(m["name"] for m in _members(client, intruder, cid)) == ["Speaker 1", "Speaker 2"]
    assert client.get(f"/v1/voices/{voice['id']}", headers=auth).json()["name"] == "Carol"

    # Deleting an app deletes its voices (and voiceprints) with it.
    carrier = client.post("/v1/voices/audio?name=Dan", content=sample, headers=intruder)
    assert carrier.status_code == 201
    with services.db.session() as session:
        session.delete(session.get(App, other.app_id))
    with services.db.session() as session:
        assert [v.name for v in session.scalars(select(Voice))] == ["Carol"]
    client.delete(f"/v1/voices/{voice['id']}", headers=auth)


def test_bad_enrollments_are_refused_with_a_message(client: TestClient, auth: dict[str, str]) -> None:
    silence = wav_bytes(np.zeros(RATE * 3, dtype=np.float32))
    response = client.post("/v1/voices/audio?name=Nobody", content=silence, headers=auth)
    assert response.status_code == 400 and "speech" in response.json()["message"]
    assert client.post("/v1/voices/audio", content=silence, headers=auth).status_code == 400  # no name
    garbage = client.post("/v1/voices/audio?name=X", content=b"not audio at all", headers=auth)
    assert garbage.status_code == 400 and garbage.json()["message"]

    text = client.post(
        "/v1/process/text",
        json={"messages": [{"payload": {"content": "Hi."}, "from": {"name": "Ann"}}]},
        headers=auth,
    ).json()
    wait_for_job(client, text["jobId"], auth)
    member = _members(client, auth, text["conversationId"])[0]
    body = {"conversationId": text["conversationId"], "memberId": member["id"]}
    response = client.post("/v1/voices", json=body, headers=auth)
    assert response.status_code == 400 and "diarization" in response.json()["message"]
    unknown = client.post("/v1/voices", json={**body, "memberId": "nope"}, headers=auth)
    assert unknown.status_code == 404
    assert client.get("/v1/voices", headers=auth).json() == {"voices": []}
