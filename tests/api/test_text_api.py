"""The Text Async API end to end: submit, job, messages, members, appends, errors."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.fixtures.api import text_body, wait_for_job

NATALIA = {"name": "Natalia", "userId": "natalia@example.com"}
MIKE = {"name": "Mike", "userId": "mike@abccorp.com"}


def test_text_is_split_into_sentence_messages_with_spread_times(
    client: TestClient, auth: dict[str, str], submit_text: Callable[..., dict[str, Any]]
) -> None:
    body = {
        "name": "Recruiting",
        "messages": [
            {
                "payload": {
                    "content": "Hi Mike, Natalia here. Hope you don't mind me reaching out.",
                    "contentType": "text/plain",
                },
                "from": NATALIA,
                "duration": {"startTime": "2020-07-21T16:02:19.01Z", "endTime": "2020-07-21T16:02:29.01Z"},
            },
            {
                "payload": {"content": "Hey Natalia, thanks for reaching out."},
                "from": MIKE,
                "duration": {"startTime": "2020-07-21T16:02:30.00Z", "endTime": "2020-07-21T16:02:33.50Z"},
            },
        ],
    }
    ids = submit_text(body)
    messages = client.get(f"/v1/conversations/{ids['conversationId']}/messages", headers=auth).json()[
        "messages"
    ]
    assert [m["text"] for m in messages] == [
        "Hi Mike, Natalia here.",
        "Hope you don't mind me reaching out.",
        "Hey Natalia, thanks for reaching out.",
    ]
    first, second, third = messages
    assert first["startTime"] == "2020-07-21T16:02:19.010Z"
    assert second["endTime"] == "2020-07-21T16:02:29.010Z"
    assert first["endTime"] == second["startTime"]
    assert first["timeOffset"] == 0.0 and third["timeOffset"] == pytest.approx(10.99, abs=0.01)
    assert third["duration"] == 3.5
    assert first["from"]["name"] == "Natalia" and first["from"]["email"] == "natalia@example.com"
    assert first["from"]["id"] == second["from"]["id"] != third["from"]["id"]
    assert all(m["conversationId"] == ids["conversationId"] and m["phrases"] == [] for m in messages)

    conversation = client.get(f"/v1/conversations/{ids['conversationId']}", headers=auth).json()
    assert conversation["name"] == "Recruiting" and conversation["type"] == "meeting"
    assert conversation["startTime"] == "2020-07-21T16:02:19.010Z"
    assert conversation["endTime"] == "2020-07-21T16:02:33.500Z"
    assert {m["name"] for m in conversation["members"]} == {"Natalia", "Mike"}


def test_members_deduplicate_by_user_id_then_name(
    client: TestClient, auth: dict[str, str], submit_text: Callable[..., dict[str, Any]]
) -> None:
    body = {
        "messages": [
            {"payload": {"content": "One."}, "from": {"name": "Natalia", "userId": "NATALIA@example.com"}},
            {"payload": {"content": "Two."}, "from": {"name": "Nat", "userId": "natalia@example.com"}},
            {"payload": {"content": "Three."}, "from": {"name": "Guest"}},
            {"payload": {"content": "Four."}, "from": {"name": "guest"}},
            {"payload": {"content": "Five."}},
        ]
    }
    ids = submit_text(body)
    members = client.get(f"/v1/conversations/{ids['conversationId']}/members", headers=auth).json()["members"]
    assert [m["name"] for m in members] == ["Natalia", "Guest"]
    messages = client.get(f"/v1/conversations/{ids['conversationId']}/messages", headers=auth).json()[
        "messages"
    ]
    assert messages[4]["from"] == {}
    assert messages[0]["startTime"] is None and messages[0]["timeOffset"] is None


def test_name_defaults_to_conversation_id(
    client: TestClient, auth: dict[str, str], submit_text: Callable[..., dict[str, Any]]
) -> None:
    ids = submit_text(text_body("Hello there."))
    conversation = client.get(f"/v1/conversations/{ids['conversationId']}", headers=auth).json()
    assert conversation["name"] == ids["conversationId"]
    assert ids["conversationId"].isdigit() and len(ids["conversationId"]) == 16


def test_appends_are_applied_in_order(client: TestClient, auth: dict[str, str]) -> None:
    first = client.post("/v1/process/text", json=text_body("Message one."), headers=auth).json()
    cid = first["conversationId"]
    jobs = [first["jobId"]]
    for n in ("two", "three", "four"):
        response = client.put(f"/v1/process/text/{cid}", json=text_body(f"Message {n}."), headers=auth)
        assert response.status_code == 201
        assert response.json()["conversationId"] == cid
        jobs.append(response.json()["jobId"])
    assert len(set(jobs)) == 4
    for job_id in jobs:
        assert wait_for_job(client, job_id, auth)["status"] == "completed"
    messages = client.get(f"/v1/conversations/{cid}/messages", headers=auth).json()["messages"]
    assert [m["text"] for m in messages] == [
        "Message one.",
        "Message two.",
        "Message three.",
        "Message four.",
    ]


def test_options_in_query_string_are_honoured(
    client: TestClient, auth: dict[str, str], submit_text: Callable[..., dict[str, Any]]
) -> None:
    response = client.post(
        "/v1/process/text?name=FromQuery&enableSummary=true", json=text_body("Hi."), headers=auth
    )
    assert response.status_code == 201
    wait_for_job(client, response.json()["jobId"], auth)
    conversation = client.get(f"/v1/conversations/{response.json()['conversationId']}", headers=auth).json()
    assert conversation["name"] == "FromQuery"


def conversation_count(client: TestClient, auth: dict[str, str]) -> int:
    return len(client.get("/v1/conversations?limit=1000", headers=auth).json()["conversations"])


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        (b"{not json", "not valid JSON"),
        (b"[1, 2]", "JSON object"),
        (b"", "JSON object"),
        (b'{"name": "x"}', '"messages" is required'),
        (b'{"messages": []}', "at least 1"),
        (b'{"messages": "hello"}', "must be an array"),
        (b'{"messages": [{"payload": {"content": "   "}}]}', "not allowed to be empty"),
        (b'{"messages": [{"payload": {"content": 5}}]}', "must be a string"),
        (b'{"messages": [{"text": "hi"}]}', "payload"),
        (b'{"messages": [{"payload": {"content": "hi"}, "from": "me"}]}', "from"),
        (
            b'{"messages": [{"payload": {"content": "hi"}, "duration": {"startTime": "yesterday"}}]}',
            "ISO-8601",
        ),
        (
            b'{"messages": [{"payload": {"content": "hi"}}], "confidenceThreshold": "x"}',
            "confidenceThreshold",
        ),
    ],
)
def test_bad_text_requests_are_400_and_store_nothing(
    client: TestClient, auth: dict[str, str], body: bytes, fragment: str
) -> None:
    before = conversation_count(client, auth)
    response = client.post(
        "/v1/process/text", content=body, headers={**auth, "Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert fragment in response.json()["message"]
    assert conversation_count(client, auth) == before


def test_append_to_unknown_conversation_is_404(client: TestClient, auth: dict[str, str]) -> None:
    response = client.put("/v1/process/text/1234567890123456", json=text_body("Hi."), headers=auth)
    assert response.status_code == 404
    assert response.json() == {"message": "The conversationId is either invalid or does not exist."}


def test_unknown_job_is_404(client: TestClient, auth: dict[str, str]) -> None:
    assert client.get("/v1/job/00000000-0000-0000-0000-000000000000", headers=auth).status_code == 404


def test_submit_requires_a_token(client: TestClient) -> None:
    response = client.post("/v1/process/text", json=text_body("Hi."))
    assert response.status_code == 401
