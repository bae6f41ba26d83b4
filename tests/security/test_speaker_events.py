"""Speaker events under abuse: ids of other tenants' members, floods of events and people, offsets
that are not numbers. Their speed is measured by `bench/security/web_probes.py speakers`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from convoscope import auth as auth_service
from convoscope.conversations.members import MAX_NEW_SPEAKERS
from tests.fixtures.api import get_token
from tests.fixtures.conversations import SALES_CALL


def event(user: dict[str, Any], seconds: Any = 1, kind: str = "started_speaking") -> dict[str, Any]:
    return {"type": kind, "user": user, "offset": {"seconds": seconds}}


def members(client: TestClient, cid: str, auth: dict[str, str]) -> list[dict[str, Any]]:
    return list(client.get(f"/v1/conversations/{cid}/members", headers=auth).json()["members"])


def test_another_tenants_member_id_behaves_like_an_unused_id(
    client: TestClient, auth: dict[str, str], submit_text: Callable[..., dict[str, Any]]
) -> None:
    foreign_cid = submit_text(SALES_CALL)["conversationId"]
    foreign_id = members(client, foreign_cid, auth)[0]["id"]
    services = client.app.state.services  # type: ignore[attr-defined]
    with services.db.session() as session:
        other = auth_service.create_app(session, name="other")
    intruder = {"x-api-key": get_token(client, other.app_id, other.app_secret)}
    outcomes = []
    for user_id in (foreign_id, "6f1c2a9e-0000-4000-8000-000000000abc"):
        cid = client.post("/v1/process/text", json=SALES_CALL, headers=intruder).json()["conversationId"]
        body = {"speakerEvents": [event({"id": user_id, "name": "Probe"})]}
        response = client.put(f"/v1/conversations/{cid}/speakers", json=body, headers=intruder)
        probe = [m for m in members(client, cid, intruder) if m["name"] == "Probe"]
        outcomes.append((response.status_code, response.json()["message"].replace(cid, "<cid>"), len(probe)))
        assert len(probe) == 1 and probe[0]["id"] != user_id
    assert outcomes[0] == outcomes[1]
    assert members(client, foreign_cid, auth)[0]["id"] == foreign_id  # the owner's member is untouched


@pytest.mark.parametrize(
    "body, message",
    [
        (
            {"speakerEvents": [event({"name": "A"})] * 10_001},
            '"speakerEvents" must contain at most 10000 items',
        ),
        (
            {"speakerEvents": [event({"id": ["x"], "name": "A"})]},
            '"speakerEvents[].user.id" must be a string',
        ),
        ({"speakerEvents": [event({"name": "A" * 100_000})]}, "at most 320 characters"),
        ({"speakerEvents": [event({"name": "A"}, "nan")]}, "must be a number between"),
        ({"speakerEvents": [event({"name": "A"}, "1e309")]}, "must be a number between"),
        ({"speakerEvents": [event({"name": "A"}, -5)]}, "must be a number between"),
        ({"speakerEvents": [event({"name": "A"}, True)]}, "must be a number"),
        ({"speakerEvents": [event({"name": f"P{i}"}) for i in range(MAX_NEW_SPEAKERS + 1)]}, "new speakers"),
    ],
)
def test_bad_or_unbounded_events_are_a_400_and_change_nothing(
    client: TestClient,
    auth: dict[str, str],
    submit_text: Callable[..., dict[str, Any]],
    body: dict[str, Any],
    message: str,
) -> None:
    cid = submit_text(SALES_CALL)["conversationId"]
    before = members(client, cid, auth)
    response = client.put(f"/v1/conversations/{cid}/speakers", json=body, headers=auth)
    assert response.status_code == 400, response.text
    assert message in response.json()["message"]
    assert members(client, cid, auth) == before
