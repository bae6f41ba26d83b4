"""Overlapped speech found by diarization shows in the analytics: a mono meeting with people talking
over each other reports the overlap that word timings alone cannot show."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from convoscope.api.app import create_app
from tests.fixtures.api import get_token, wait_for_job
from tests.fixtures.settings import make_settings

pytestmark = pytest.mark.slow

# 30 s of an AMI meeting (tests/data/meetings/README.md) with 3 speakers who talk over each other.
MEETING = Path(__file__).resolve().parents[1] / "data" / "meetings" / "ami_trn09_3spk.wav"
DIARIZE = "enableSpeakerDiarization=true"


@pytest.fixture(scope="module")
def client(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    settings = make_settings(tmp_path_factory.mktemp("overlap"), asr={"model": "tiny.en"})
    with TestClient(create_app(settings)) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def auth(client: TestClient) -> dict[str, str]:
    return {"x-api-key": get_token(client)}


def process(client: TestClient, auth: dict[str, str], cid: str | None = None) -> str:
    url = f"/v1/process/audio/{cid}?{DIARIZE}" if cid else f"/v1/process/audio?{DIARIZE}"
    send = client.put if cid else client.post
    response = send(url, content=MEETING.read_bytes(), headers=auth)
    assert response.status_code == 201, response.text
    assert wait_for_job(client, response.json()["jobId"], auth, timeout=300)["status"] == "completed"
    return str(response.json()["conversationId"])


def analytics(client: TestClient, auth: dict[str, str], cid: str) -> tuple[float, list[dict[str, Any]]]:
    response = client.get(f"/v1/conversations/{cid}/analytics", headers=auth)
    assert response.status_code == 200, response.text
    body = response.json()
    (total,) = [m["seconds"] for m in body["metrics"] if m["type"] == "total_overlap"]
    return float(total), list(body["members"])


def stored_overlaps(client: TestClient, cid: str) -> list[tuple[float, float, str, str]]:
    services = client.app.state.services  # type: ignore[attr-defined]
    with services.db.engine.connect() as connection:
        rows = connection.execute(
            sa.text(
                "SELECT start_seconds, end_seconds, member_id, other_member_id FROM speech_overlaps "
                "WHERE conversation_id = :cid ORDER BY start_seconds"
            ),
            {"cid": cid},
        ).all()
    return [(float(a), float(b), str(m), str(o)) for a, b, m, o in rows]


def union_length(spans: list[tuple[float, float]]) -> float:
    total, reach = 0.0, float("-inf")
    for start, end in sorted(spans):
        total += max(0.0, end - max(start, reach))
        reach = max(reach, end)
    return total


def check_consistent(total: float, members: list[dict[str, Any]]) -> None:
    """Per member: overlap within the total and the sum of its pairs; pairs the same from both sides."""
    pairs = {}
    for member in members:
        seconds = member["overlap"]["overlapDuration"]
        with_others = [o["seconds"] for o in member["overlap"]["overlappingMembers"]]
        assert seconds <= total + 1e-3
        assert max(with_others, default=0.0) - 1e-3 <= seconds <= sum(with_others) + 1e-3
        for other in member["overlap"]["overlappingMembers"]:
            assert other["id"] != member["id"]
            pairs[(member["id"], other["id"])] = other["seconds"]
    assert all(pairs[(b, a)] == seconds for (a, b), seconds in pairs.items())
    assert total <= sum(pairs.values()) / 2 + 1e-3  # at least two at once: within the summed pairs


def test_diarized_overlap_is_reported(client: TestClient, auth: dict[str, str]) -> None:
    cid = process(client, auth)
    rows = stored_overlaps(client, cid)
    assert rows and all(0 <= start < end <= 30.5 and m != o for start, end, m, o in rows)
    total, members = analytics(client, auth, cid)
    assert total >= union_length([(s, e) for s, e, _, _ in rows]) - 1e-3 > 0
    check_consistent(total, members)
    overlapping = {m["id"] for m in members if m["overlap"]["overlapDuration"] > 0}
    assert overlapping >= {m for _, _, m, _ in rows} | {o for _, _, _, o in rows}


def test_append_and_merge_keep_overlaps_consistent(client: TestClient, auth: dict[str, str]) -> None:
    cid = process(client, auth)
    first = stored_overlaps(client, cid)
    process(client, auth, cid)  # the same meeting again, after the first on the timeline
    both = stored_overlaps(client, cid)
    later = [row for row in both if row not in first]
    assert first and later and all(start >= 29.9 for start, _, _, _ in later)
    total, members = analytics(client, auth, cid)
    assert total >= union_length([(s, e) for s, e, _, _ in both]) - 1e-3
    check_consistent(total, members)

    # Merge two members who overlapped (the same email): their overlap with each other goes away.
    _, _, keep, gone = both[0]
    for member_id in (keep, gone):  # the second one goes away into the first
        response = client.put(
            f"/v1/conversations/{cid}/members/{member_id}",
            json={"id": member_id, "name": "Merged", "email": "merged@example.com"},
            headers=auth,
        )
        assert response.status_code == 200, response.text
    rows = stored_overlaps(client, cid)
    assert all(gone not in (m, o) and m != o for _, _, m, o in rows)
    total, members = analytics(client, auth, cid)
    assert gone not in {m["id"] for m in members}
    check_consistent(total, members)
