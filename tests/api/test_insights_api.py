"""Every insight endpoint through the HTTP app: shapes, flags, threshold, appends, exports."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient

from convoscope.tables import Job
from tests.fixtures.conversations import MEETING


def get(client: TestClient, auth: dict[str, str], cid: str, path: str) -> Any:
    response = client.get(f"/v1/conversations/{cid}/{path}", headers=auth)
    assert response.status_code == 200, (path, response.text)
    return response.json()


def test_every_insight_endpoint_has_its_wire_shape(
    client: TestClient, auth: dict[str, str], submit_text: Callable[..., dict[str, Any]]
) -> None:
    cid = submit_text(MEETING)["conversationId"]
    questions = get(client, auth, cid, "questions")["questions"]
    assert any("cost per seat" in q["text"] for q in questions)
    assert all(q["type"] == "question" and 0 < q["score"] <= 1 and q["messageIds"] for q in questions)
    assert questions[0]["from"]["name"] == "Lucy" and questions[0]["from"]["userId"] == "lucy@example.com"

    action_items = get(client, auth, cid, "action-items")["actionItems"]
    quotation = next(a for a in action_items if "quotation" in a["text"])
    assert quotation["type"] == "action_item" and isinstance(quotation["definitive"], bool)
    assert quotation["assignee"]["name"] == "Vikram"
    assert quotation["dueBy"].startswith("2020-07-11")
    assert all({"entities", "phrases", "messageIds", "score"} <= a.keys() for a in action_items)

    follow_ups = get(client, auth, cid, "follow-ups")["followUps"]
    assert all(f["type"] == "follow_up" for f in follow_ups) and follow_ups
    insights = get(client, auth, cid, "insights")["insights"]
    assert {i["type"] for i in insights} >= {"question", "action_item", "follow_up"}

    plain = get(client, auth, cid, "topics")["topics"]
    assert plain and all("sentiment" not in t and "parentRefs" not in t for t in plain)
    rich = get(client, auth, cid, "topics?sentiment=true&parentRefs=true")["topics"]
    assert all(
        "parentRefs" in t and t["sentiment"]["suggested"] in ("positive", "neutral", "negative") for t in rich
    )

    entities = get(client, auth, cid, "entities")["entities"]
    assert all({"type", "text", "messageRefs"} <= e.keys() for e in entities)
    assert any(e["type"] == "custom" and e.get("customType") == "Product" for e in entities)
    assert any(e["type"] == "person" and e["text"] == "Vikram" for e in entities)

    for path in ("trackers-detected", "trackers"):
        trackers = get(client, auth, cid, path)
        assert isinstance(trackers, list) and trackers[0]["name"] == "Pricing"
        match = trackers[0]["matches"][0]
        assert match["messageRefs"][0]["offset"] >= 0

    analytics = get(client, auth, cid, "analytics")
    assert {m["type"] for m in analytics["metrics"]} == {"total_silence", "total_talk_time", "total_overlap"}
    assert {m["name"] for m in analytics["members"]} == {"Lucy", "Vikram"}

    summary = get(client, auth, cid, "summary")["summary"]
    assert summary and all(s["messageRefs"] for s in summary)
    assert isinstance(get(client, auth, cid, "abstract-topics")["abstractTopics"], list)
    comprehensive = get(client, auth, cid, "comprehensive/action-items")["actionItems"]
    assert all("messageRefs" in a for a in comprehensive)

    messages = get(client, auth, cid, "messages")["messages"]
    assert any(m["phrases"] for m in messages)


def test_confidence_threshold_filters_by_score(
    client: TestClient, auth: dict[str, str], submit_text: Callable[..., dict[str, Any]]
) -> None:
    low = submit_text({**MEETING, "confidenceThreshold": 0.5})["conversationId"]
    low_items = get(client, auth, low, "insights")["insights"]
    scores = sorted({item["score"] for item in low_items})
    assert len(scores) > 1, "the meeting's insights need more than one score for this test"
    threshold = (scores[0] + scores[1]) / 2  # between the lowest score and the next
    high = submit_text({**MEETING, "confidenceThreshold": threshold})["conversationId"]
    high_items = get(client, auth, high, "insights")["insights"]
    assert [i["text"] for i in high_items] == [i["text"] for i in low_items if i["score"] >= threshold]
    assert len(high_items) < len(low_items)


def test_an_append_changes_the_insights(
    client: TestClient, auth: dict[str, str], submit_text: Callable[..., dict[str, Any]]
) -> None:
    first = {"messages": [{"payload": {"content": "Hello everyone, the weather is sunny today."}}]}
    cid = submit_text(first)["conversationId"]
    assert get(client, auth, cid, "questions")["questions"] == []
    more = {"messages": [{"payload": {"content": "What time does the quarterly review start tomorrow?"}}]}
    submit_text(more, conversation_id=cid)
    questions = get(client, auth, cid, "questions")["questions"]
    assert [q["text"] for q in questions] == ["What time does the quarterly review start tomorrow?"]


def test_renames_show_in_insights(
    client: TestClient, auth: dict[str, str], submit_text: Callable[..., dict[str, Any]]
) -> None:
    cid = submit_text(MEETING)["conversationId"]
    lucy = next(m for m in get(client, auth, cid, "members")["members"] if m["name"] == "Lucy")
    body = {"id": lucy["id"], "name": "Lucy Liu", "email": "lucy.liu@example.com"}
    assert (
        client.put(f"/v1/conversations/{cid}/members/{lucy['id']}", json=body, headers=auth).status_code
        == 200
    )
    question = get(client, auth, cid, "questions")["questions"][0]
    assert question["from"] == {"id": lucy["id"], "name": "Lucy Liu", "userId": "lucy.liu@example.com"}
    analytics = get(client, auth, cid, "analytics")
    assert "Lucy Liu" in {m["name"] for m in analytics["members"]}


def test_summary_is_404_while_a_job_runs(
    client: TestClient, auth: dict[str, str], submit_text: Callable[..., dict[str, Any]]
) -> None:
    ids = submit_text(MEETING)
    services = client.app.state.services  # type: ignore[attr-defined]
    with services.db.session() as session:
        job = session.get(Job, ids["jobId"])
        assert job is not None
        job.status = "in_progress"
    response = client.get(f"/v1/conversations/{ids['conversationId']}/summary", headers=auth)
    assert response.status_code == 404 and "message" in response.json()
    with services.db.session() as session:
        job = session.get(Job, ids["jobId"])
        assert job is not None
        job.status = "completed"
    refreshed = client.post(f"/v1/conversations/{ids['conversationId']}/summary?refresh=true", headers=auth)
    assert refreshed.status_code == 200 and refreshed.json()["summary"]


def test_non_english_conversations_have_empty_insights(
    client: TestClient, auth: dict[str, str], submit_text: Callable[..., dict[str, Any]]
) -> None:
    body = {
        "languageCode": "de-DE",
        "messages": [{"payload": {"content": "Kannst du mir morgen die Zahlen schicken?"}}],
    }
    cid = submit_text(body)["conversationId"]
    assert get(client, auth, cid, "questions")["questions"] == []
    assert get(client, auth, cid, "action-items")["actionItems"] == []


def test_transcript_exports(
    client: TestClient, auth: dict[str, str], submit_text: Callable[..., dict[str, Any]]
) -> None:
    cid = submit_text(MEETING)["conversationId"]
    url = f"/v1/conversations/{cid}/transcript"
    markdown = client.post(
        url,
        json={
            "contentType": "text/markdown",
            "showSpeakerSeparation": True,
            "phrases": {"highlightAllKeyPhrases": True},
        },
        headers=auth,
    ).json()["transcript"]
    assert markdown["contentType"] == "text/markdown"
    assert "Lucy: " in markdown["payload"] and "<mark>" in markdown["payload"]
    srt = client.post(url, json={"contentType": "text/srt"}, headers=auth).json()["transcript"]
    assert srt["payload"].startswith("1\n00:00:00,000 --> 00:00:")
    vtt = client.post(
        url, json={"contentType": "text/vtt", "showSpeakerSeparation": True}, headers=auth
    ).json()
    assert vtt["transcript"]["payload"].startswith("WEBVTT") and "<v Vikram>" in vtt["transcript"]["payload"]
    nested = client.post(url, json={"contentType": "text/srt", "nestedPayload": True}, headers=auth).json()
    assert nested["transcript"]["payload"]["contentType"] == "text/srt"
    assert client.post(url, json={"contentType": "text/html"}, headers=auth).status_code == 400
