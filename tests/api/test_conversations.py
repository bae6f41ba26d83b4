"""Conversation API core: list, get, metadata, delete, member merge, speaker events."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient

from tests.fixtures.api import text_body

TIMED = {
    "messages": [
        {
            "payload": {"content": "Good morning. Let's start."},
            "from": {"name": "Ann", "userId": "ann@example.com"},
            "duration": {"startTime": "2024-05-01T10:00:00Z", "endTime": "2024-05-01T10:00:10Z"},
        },
        {
            "payload": {"content": "Sure, I am ready."},
            "from": {"name": "Speaker 2"},
            "duration": {"startTime": "2024-05-01T10:00:11Z", "endTime": "2024-05-01T10:00:15Z"},
        },
        {
            "payload": {"content": "Then we begin."},
            "from": {"name": "Ann", "userId": "ann@example.com"},
            "duration": {"startTime": "2024-05-01T10:00:16Z", "endTime": "2024-05-01T10:00:20Z"},
        },
    ]
}


def test_list_orders_pages_and_filters(
    client: TestClient, auth: dict[str, str], submit_text: Callable[..., dict[str, Any]]
) -> None:
    ids = [submit_text(text_body(f"Conversation {n}.", name=f"c{n}"))["conversationId"] for n in range(3)]
    listed = client.get("/v1/conversations", headers=auth).json()["conversations"]
    assert [c["id"] for c in listed] == ids
    desc = client.get("/v1/conversations?order=desc&limit=2", headers=auth).json()["conversations"]
    assert [c["id"] for c in desc] == ids[::-1][:2]
    page = client.get("/v1/conversations?offset=1&limit=1", headers=auth).json()["conversations"]
    assert [c["id"] for c in page] == ids[1:2]
    future = client.get("/v1/conversations?startTime=2100-01-01T00:00:00Z", headers=auth).json()
    assert future == {"conversations": []}
    assert client.get("/v1/conversations?order=sideways", headers=auth).status_code == 400
    assert client.get("/v1/conversations?limit=-1", headers=auth).status_code == 400
    assert client.get("/v1/conversations?startTime=yesterday", headers=auth).status_code == 400


def test_metadata_update(
    client: TestClient, auth: dict[str, str], submit_text: Callable[..., dict[str, Any]]
) -> None:
    cid = submit_text(text_body("Hello."))["conversationId"]
    response = client.put(f"/v1/conversations/{cid}", json={"metadata": {"agentId": "johndoe"}}, headers=auth)
    assert response.status_code == 200
    assert response.json()["metadata"] == {"agentId": "johndoe"}
    client.put(f"/v1/conversations/{cid}", json={"metadata": {"label": "Business"}}, headers=auth)
    assert client.get(f"/v1/conversations/{cid}", headers=auth).json()["metadata"] == {
        "agentId": "johndoe",
        "label": "Business",
    }
    for bad in ({"metadata": {"a": 1}}, {"metadata": {"a": "x" * 129}}, {"metadata": "x"}, {"name": "y"}):
        assert client.put(f"/v1/conversations/{cid}", json=bad, headers=auth).status_code == 400
    assert client.get(f"/v1/conversations/{cid}", headers=auth).json()["metadata"]["agentId"] == "johndoe"


def test_delete_removes_everything(
    client: TestClient, auth: dict[str, str], submit_text: Callable[..., dict[str, Any]]
) -> None:
    ids = submit_text(TIMED)
    cid = ids["conversationId"]
    response = client.delete(f"/v1/conversations/{cid}", headers=auth)
    assert response.status_code == 200
    assert response.json() == {"message": "successfully deleted the conversation"}
    for path in ("", "/messages", "/members"):
        assert client.get(f"/v1/conversations/{cid}{path}", headers=auth).status_code == 404
    assert client.get(f"/v1/job/{ids['jobId']}", headers=auth).status_code == 404
    again = client.delete(f"/v1/conversations/{cid}", headers=auth)
    assert again.status_code == 404
    assert again.json() == {"message": "The conversationId is either invalid or does not exist."}


def test_member_rename_flows_into_messages(
    client: TestClient, auth: dict[str, str], submit_text: Callable[..., dict[str, Any]]
) -> None:
    cid = submit_text(TIMED)["conversationId"]
    members = client.get(f"/v1/conversations/{cid}/members", headers=auth).json()["members"]
    speaker2 = next(m for m in members if m["name"] == "Speaker 2")
    body = {"id": speaker2["id"], "name": "John Doe", "email": "john@example.com"}
    response = client.put(f"/v1/conversations/{cid}/members/{speaker2['id']}", json=body, headers=auth)
    assert response.status_code == 200
    assert "updated successfully" in response.json()["message"]
    messages = client.get(f"/v1/conversations/{cid}/messages", headers=auth).json()["messages"]
    renamed = [m for m in messages if m["from"].get("id") == speaker2["id"]]
    assert renamed and all(
        m["from"]["name"] == "John Doe" and m["from"]["email"] == "john@example.com" for m in renamed
    )


def test_member_with_an_existing_email_is_merged(
    client: TestClient, auth: dict[str, str], submit_text: Callable[..., dict[str, Any]]
) -> None:
    cid = submit_text(TIMED)["conversationId"]
    members = client.get(f"/v1/conversations/{cid}/members", headers=auth).json()["members"]
    ann = next(m for m in members if m["name"] == "Ann")
    speaker2 = next(m for m in members if m["name"] == "Speaker 2")
    body = {"id": speaker2["id"], "name": "Ann Smith", "email": "ANN@example.com"}
    assert (
        client.put(f"/v1/conversations/{cid}/members/{speaker2['id']}", json=body, headers=auth).status_code
        == 200
    )
    members = client.get(f"/v1/conversations/{cid}/members", headers=auth).json()["members"]
    assert members == [{"id": ann["id"], "name": "Ann Smith", "email": "ann@example.com"}]
    messages = client.get(f"/v1/conversations/{cid}/messages", headers=auth).json()["messages"]
    assert {m["from"]["id"] for m in messages} == {ann["id"]}


def test_a_merge_repoints_the_insights_of_the_removed_member(
    client: TestClient, auth: dict[str, str], submit_text: Callable[..., dict[str, Any]]
) -> None:
    """An action item assigned to the member a merge removes is assigned to the one it merged into."""
    body = {
        "messages": [
            {
                "payload": {"content": "Can you send me the pricing report?"},
                "from": {"name": "Ann", "userId": "ann@example.com"},
            },
            {
                "payload": {"content": "Sure, I will send you the pricing report by Friday."},
                "from": {"name": "Speaker 2"},
            },
        ]
    }
    cid = submit_text(body)["conversationId"]
    members = client.get(f"/v1/conversations/{cid}/members", headers=auth).json()["members"]
    ann = next(m for m in members if m["name"] == "Ann")
    speaker2 = next(m for m in members if m["name"] == "Speaker 2")
    items = client.get(f"/v1/conversations/{cid}/action-items", headers=auth).json()["actionItems"]
    assert items and items[0]["assignee"]["id"] == speaker2["id"]
    merge = {"id": speaker2["id"], "name": "Ann Smith", "email": "ann@example.com"}
    assert (
        client.put(f"/v1/conversations/{cid}/members/{speaker2['id']}", json=merge, headers=auth).status_code
        == 200
    )
    for path, key in (("action-items", "actionItems"), ("insights", "insights")):
        found = client.get(f"/v1/conversations/{cid}/{path}", headers=auth).json()[key]
        item = next(i for i in found if i["type"] == "action_item")
        assert item["assignee"] == {"id": ann["id"], "name": "Ann Smith", "email": "ann@example.com"}
        assert item["from"]["id"] == ann["id"] and item["from"]["name"] == "Ann Smith"


def test_member_update_errors(
    client: TestClient, auth: dict[str, str], submit_text: Callable[..., dict[str, Any]]
) -> None:
    cid = submit_text(TIMED)["conversationId"]
    member_id = client.get(f"/v1/conversations/{cid}/members", headers=auth).json()["members"][0]["id"]
    url = f"/v1/conversations/{cid}/members/{member_id}"
    assert client.put(url, json={"id": member_id}, headers=auth).status_code == 400
    assert client.put(url, json={"name": "X"}, headers=auth).status_code == 400
    unknown = f"/v1/conversations/{cid}/members/00000000-0000-0000-0000-000000000000"
    assert client.put(unknown, json={"id": "x", "name": "X"}, headers=auth).status_code == 404


def test_speaker_events_assign_speakers_by_time(
    client: TestClient, auth: dict[str, str], submit_text: Callable[..., dict[str, Any]]
) -> None:
    cid = submit_text(TIMED)["conversationId"]
    derek = {"id": "4194eb50-aaaa-bbbb-cccc-000000000001", "name": "Derek", "email": "derek@example.com"}
    events = {
        "speakerEvents": [
            {"type": "started_speaking", "user": derek, "offset": {"seconds": 10, "nanos": 500000000}},
            {"type": "stopped_speaking", "user": derek, "offset": {"seconds": 15, "nanos": 5000000000}},
        ]
    }
    response = client.put(f"/v1/conversations/{cid}/speakers", json=events, headers=auth)
    assert response.status_code == 200
    assert "successfully" in response.json()["message"]
    messages = client.get(f"/v1/conversations/{cid}/messages", headers=auth).json()["messages"]
    speakers = {m["text"]: m["from"].get("name") for m in messages}
    assert speakers["Sure, I am ready."] == "Derek"
    assert speakers["Good morning."] == "Ann"
    members = client.get(f"/v1/conversations/{cid}/members", headers=auth).json()["members"]
    assert [m["email"] for m in members if m["name"] == "Derek"] == ["derek@example.com"]
    # Events naming the same id again find the same member (member ids are the server's own).
    again = {"speakerEvents": [{**events["speakerEvents"][0], "user": {"id": derek["id"], "name": "D."}}]}
    assert client.put(f"/v1/conversations/{cid}/speakers", json=again, headers=auth).status_code == 200
    after = client.get(f"/v1/conversations/{cid}/members", headers=auth).json()["members"]
    assert len(after) == len(members)
    bad = {"speakerEvents": [{"type": "sneezed", "user": derek, "offset": {"seconds": 1}}]}
    assert client.put(f"/v1/conversations/{cid}/speakers", json=bad, headers=auth).status_code == 400
    assert client.put(f"/v1/conversations/{cid}/speakers", json={"x": 1}, headers=auth).status_code == 400


def test_messages_verbose_and_sentiment_flags(
    client: TestClient, auth: dict[str, str], submit_text: Callable[..., dict[str, Any]]
) -> None:
    cid = submit_text(text_body("I love this product. This is terrible news."))["conversationId"]
    plain = client.get(f"/v1/conversations/{cid}/messages", headers=auth).json()["messages"]
    assert all("sentiment" not in m and "words" not in m for m in plain)
    rich = client.get(f"/v1/conversations/{cid}/messages?verbose=true&sentiment=true", headers=auth).json()[
        "messages"
    ]
    assert all(m["words"] == [] for m in rich)
    assert rich[0]["sentiment"]["suggested"] == "positive" and rich[0]["sentiment"]["polarity"]["score"] > 0.3
    assert rich[1]["sentiment"]["suggested"] == "negative"


def test_unknown_route_and_method_answer_in_the_message_shape(
    client: TestClient, auth: dict[str, str]
) -> None:
    response = client.get("/v1/nothing-here", headers=auth)
    assert response.status_code == 404 and "message" in response.json()
    response = client.patch("/v1/conversations", headers=auth)
    assert response.status_code == 405 and "message" in response.json()
