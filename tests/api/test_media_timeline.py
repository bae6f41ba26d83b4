"""The media timeline: offsets count from the start of the recording, so messages, words, subtitles,
analytics and the player all line up with the audio, through silences and appends.

The recording is real speech with silence added: 5 s before the first word and 8 s between two
sentences (`tests.fixtures.media.speech_with_silences`); the real `tiny.en` model transcribes it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from convoscope.api.app import create_app
from tests.fixtures.api import get_token, wait_for_job
from tests.fixtures.media import speech_with_silences
from tests.fixtures.paths import JFK
from tests.fixtures.settings import make_settings

LEADING, PAUSE = 5.0, 8.0
JFK_SECONDS = 11.0
RECORDING_SECONDS = LEADING + JFK_SECONDS + PAUSE + JFK_SECONDS

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def recording(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("timeline") / "silences.wav"
    return speech_with_silences([LEADING, JFK, PAUSE, JFK], target)


@pytest.fixture(scope="module")
def client(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    settings = make_settings(tmp_path_factory.mktemp("timeline-data"), asr={"model": "tiny.en"})
    with TestClient(create_app(settings)) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def auth(client: TestClient) -> dict[str, str]:
    return {"Authorization": f"Bearer {get_token(client)}"}


def run(client: TestClient, auth: dict[str, str], url: str, path: Path, method: str = "POST") -> str:
    response = client.request(method, url, content=path.read_bytes(), headers={**auth, "Content-Type": ""})
    assert response.status_code == 201, response.text
    ids = response.json()
    assert wait_for_job(client, ids["jobId"], auth, timeout=300)["status"] == "completed"
    return str(ids["conversationId"])


@pytest.fixture(scope="module")
def conversation_id(client: TestClient, auth: dict[str, str], recording: Path) -> str:
    return run(client, auth, "/v1/process/audio", recording)


def get(client: TestClient, auth: dict[str, str], path: str) -> Any:
    response = client.get(path, headers=auth)
    assert response.status_code == 200, response.text
    return response.json()


def export(client: TestClient, auth: dict[str, str], cid: str, content_type: str) -> str:
    body = {"contentType": content_type, "createParagraphs": True}
    response = client.post(f"/v1/conversations/{cid}/transcript", json=body, headers=auth)
    assert response.status_code == 200, response.text
    return str(response.json()["transcript"]["payload"])


def cue_starts(subtitles: str) -> list[float]:
    """Start times (seconds) of the cues of an SRT or VTT document."""
    found = re.findall(r"(\d\d):(\d\d):(\d\d)[,.](\d\d\d) -->", subtitles)
    return [int(h) * 3600 + int(m) * 60 + int(s) + int(ms) / 1000 for h, m, s, ms in found]


def seconds_between(earlier: str, later: str) -> float:
    parse = datetime.fromisoformat
    return (parse(later.replace("Z", "+00:00")) - parse(earlier.replace("Z", "+00:00"))).total_seconds()


def test_offsets_count_from_the_start_of_the_recording(
    client: TestClient, auth: dict[str, str], conversation_id: str
) -> None:
    conversation = get(client, auth, f"/v1/conversations/{conversation_id}")
    messages = get(client, auth, f"/v1/conversations/{conversation_id}/messages?verbose=true")["messages"]
    assert len(messages) == 2
    first, second = messages
    # Whisper puts JFK's first word at the very start of his clip: 5 s in, after the silence.
    assert LEADING - 0.3 <= first["timeOffset"] <= LEADING + 0.6
    assert second["timeOffset"] >= LEADING + JFK_SECONDS + PAUSE - 0.5
    for message in messages:
        # A message's startTime is the conversation's plus its offset.
        assert seconds_between(conversation["startTime"], message["startTime"]) == pytest.approx(
            message["timeOffset"], abs=0.011
        )
        words = message["words"]
        assert words[0]["timeOffset"] == pytest.approx(message["timeOffset"], abs=0.011)
        for word in words:
            assert seconds_between(conversation["startTime"], word["startTime"]) == pytest.approx(
                word["timeOffset"], abs=0.011
            )
    # The conversation spans the whole recording, trailing silence and all.
    assert seconds_between(conversation["startTime"], conversation["endTime"]) == pytest.approx(
        RECORDING_SECONDS, abs=0.05
    )


def test_subtitles_and_markdown_follow_the_recording(
    client: TestClient, auth: dict[str, str], conversation_id: str
) -> None:
    messages = get(client, auth, f"/v1/conversations/{conversation_id}/messages")["messages"]
    offsets = [m["timeOffset"] for m in messages]
    srt = export(client, auth, conversation_id, "text/srt")
    vtt = export(client, auth, conversation_id, "text/vtt")
    assert srt.startswith("1\n00:00:0") and not srt.startswith("1\n00:00:00,000")
    for document in (srt, vtt):
        assert cue_starts(document) == pytest.approx(offsets, abs=0.011)
    # The 8 s pause ends a paragraph.
    markdown = export(client, auth, conversation_id, "text/markdown")
    assert markdown.count("<br/><br/>") == 1


def test_analytics_count_leading_silence_and_the_pause(
    client: TestClient, auth: dict[str, str], conversation_id: str
) -> None:
    metrics = {
        m["type"]: m for m in get(client, auth, f"/v1/conversations/{conversation_id}/analytics")["metrics"]
    }
    silence, talk = metrics["total_silence"], metrics["total_talk_time"]
    assert silence["seconds"] >= LEADING + PAUSE - 1.0
    assert silence["seconds"] + talk["seconds"] == pytest.approx(RECORDING_SECONDS, abs=0.05)
    assert silence["percent"] + talk["percent"] == pytest.approx(100.0, abs=0.01)


def test_an_append_continues_after_the_recording(
    client: TestClient, auth: dict[str, str], recording: Path
) -> None:
    cid = run(client, auth, "/v1/process/audio", recording)
    run(client, auth, f"/v1/process/audio/{cid}", JFK, method="PUT")
    jobs = get(client, auth, f"/v1/conversations/{cid}/jobs")["jobs"]
    assert [(j["mediaOffset"], j["mediaDuration"]) for j in jobs] == [
        (0.0, pytest.approx(RECORDING_SECONDS, abs=0.05)),
        (pytest.approx(RECORDING_SECONDS, abs=0.05), pytest.approx(JFK_SECONDS, abs=0.05)),
    ]
    messages = get(client, auth, f"/v1/conversations/{cid}/messages?verbose=true")["messages"]
    appended = messages[2:]
    assert appended and appended[0]["timeOffset"] >= RECORDING_SECONDS - 0.1
    assert all(w["timeOffset"] >= RECORDING_SECONDS - 0.1 for m in appended for w in m["words"])
    assert cue_starts(export(client, auth, cid, "text/srt"))[2:] == pytest.approx(
        [m["timeOffset"] for m in appended], abs=0.011
    )
    conversation = get(client, auth, f"/v1/conversations/{cid}")
    assert seconds_between(conversation["startTime"], conversation["endTime"]) == pytest.approx(
        RECORDING_SECONDS + JFK_SECONDS, abs=0.05
    )
    metrics = {m["type"]: m for m in get(client, auth, f"/v1/conversations/{cid}/analytics")["metrics"]}
    total = metrics["total_silence"]["seconds"] + metrics["total_talk_time"]["seconds"]
    assert total == pytest.approx(RECORDING_SECONDS + JFK_SECONDS, abs=0.05)


def test_speaker_events_count_from_the_start_of_the_recording(
    client: TestClient, auth: dict[str, str], conversation_id: str
) -> None:
    """Bob takes over 26 s into the recording: most of the second sentence (23.9 s to 34.5 s) is his.
    Counted from the first word instead, Ann would keep it."""
    events = {
        "speakerEvents": [
            {"type": "started_speaking", "user": {"name": "Ann"}, "offset": {"seconds": 0, "nanos": 0}},
            {"type": "stopped_speaking", "user": {"name": "Ann"}, "offset": {"seconds": 26, "nanos": 0}},
            {"type": "started_speaking", "user": {"name": "Bob"}, "offset": {"seconds": 26, "nanos": 0}},
        ]
    }
    response = client.put(f"/v1/conversations/{conversation_id}/speakers", json=events, headers=auth)
    assert response.status_code == 200, response.text
    messages = get(client, auth, f"/v1/conversations/{conversation_id}/messages")["messages"]
    assert [m["from"].get("name") for m in messages] == ["Ann", "Bob"]
