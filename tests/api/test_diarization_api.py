"""Speaker diarization through the HTTP API, on real two-person recordings."""

from __future__ import annotations

import wave
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from fastapi.testclient import TestClient

from convoscope.api.app import create_app
from tests.fixtures.api import get_token, wait_for_job
from tests.fixtures.paths import SHARED_DATA
from tests.fixtures.settings import make_settings

pytestmark = pytest.mark.slow

CONV2 = SHARED_DATA / "conv2_harvard.wav"
PYANNOTE = SHARED_DATA / "pyannote_sample.wav"


@pytest.fixture(scope="module")
def client(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    with TestClient(
        create_app(make_settings(tmp_path_factory.mktemp("diar"), asr={"model": "tiny.en"}))
    ) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def auth(client: TestClient) -> dict[str, str]:
    return {"x-api-key": get_token(client)}


def process(client: TestClient, auth: dict[str, str], path: Path, query: str, cid: str | None = None) -> str:
    url = f"/v1/process/audio/{cid}?{query}" if cid else f"/v1/process/audio?{query}"
    send = client.put if cid else client.post
    response = send(url, content=path.read_bytes(), headers=auth)
    assert response.status_code == 201, response.text
    job = wait_for_job(client, response.json()["jobId"], auth, timeout=300)
    assert job["status"] == "completed", job
    return str(response.json()["conversationId"])


def members(client: TestClient, auth: dict[str, str], cid: str) -> list[dict[str, Any]]:
    return list(client.get(f"/v1/conversations/{cid}/members", headers=auth).json()["members"])


def messages(client: TestClient, auth: dict[str, str], cid: str) -> list[dict[str, Any]]:
    return list(client.get(f"/v1/conversations/{cid}/messages", headers=auth).json()["messages"])


@pytest.mark.parametrize("path", [CONV2, PYANNOTE], ids=["conv2_harvard", "pyannote_sample"])
def test_two_speakers_are_found_without_being_told(
    client: TestClient, auth: dict[str, str], path: Path
) -> None:
    cid = process(client, auth, path, "enableSpeakerDiarization=true")
    found = members(client, auth, cid)
    assert sorted(m["name"] for m in found) == ["Speaker 1", "Speaker 2"]
    ids = {m["id"]: m["name"] for m in found}
    said = messages(client, auth, cid)
    assert said and all(m["from"]["id"] in ids and m["from"]["name"] == ids[m["from"]["id"]] for m in said)
    assert {m["from"]["id"] for m in said} == set(ids)


def test_turns_alternate_on_conv2(client: TestClient, auth: dict[str, str]) -> None:
    cid = process(client, auth, CONV2, "enableSpeakerDiarization=true")
    said = messages(client, auth, cid)
    # 12 alternating turns: consecutive speaker changes should be frequent and the first two differ.
    speakers = [m["from"]["id"] for m in said]
    changes = sum(1 for a, b in pairwise(speakers) if a != b)
    assert changes >= 8


def test_speaker_count_is_honoured(client: TestClient, auth: dict[str, str]) -> None:
    cid = process(client, auth, CONV2, "enableSpeakerDiarization=true&diarizationSpeakerCount=1")
    assert [m["name"] for m in members(client, auth, cid)] == ["Speaker 1"]


def test_single_speaker_gives_one_member(client: TestClient, auth: dict[str, str]) -> None:
    cid = process(client, auth, SHARED_DATA / "jfk.flac", "enableSpeakerDiarization=true")
    assert [m["name"] for m in members(client, auth, cid)] == ["Speaker 1"]


def test_append_with_known_voices_reuses_members(client: TestClient, auth: dict[str, str]) -> None:
    cid = process(client, auth, CONV2, "enableSpeakerDiarization=true")
    before = {m["id"] for m in members(client, auth, cid)}
    process(client, auth, CONV2, "enableSpeakerDiarization=true", cid=cid)
    assert {m["id"] for m in members(client, auth, cid)} == before


def test_diarization_wins_over_per_channel(client: TestClient, auth: dict[str, str]) -> None:
    query = "enableSpeakerDiarization=true&enableSeparateRecognitionPerChannel=true"
    cid = process(client, auth, SHARED_DATA / "stereo_diarization.wav", query)
    assert all(m["name"].startswith("Speaker ") for m in members(client, auth, cid))


def test_silence_completes_with_no_messages(client: TestClient, auth: dict[str, str], tmp_path: Path) -> None:
    path = tmp_path / "silence.wav"
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(16000)
        out.writeframes(np.zeros(16000 * 5, dtype=np.int16).tobytes())
    cid = process(client, auth, path, "enableSpeakerDiarization=true")
    assert messages(client, auth, cid) == []
    assert members(client, auth, cid) == []
