"""Reading insights stored in the first format, which had no version number.

That format kept every insight in the shape the API serves (Symbl's field names: `messageIds`,
`from`, `dueBy`, `polarity.score`, ...; a tracker's semantic match at offset -1), message sentiments
and phrases as objects keyed by message id, and the action items a second time in the comprehensive
shape (left out here: they are the action items). Documents of that format stay in the database until
their conversation is analysed again, so they are read into the current types.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from convoscope.pipeline.insights.action_items import ActionItem, ItemEntity
from convoscope.pipeline.insights.analytics import Analytics, MemberAnalytics, OverlapWith, Share
from convoscope.pipeline.insights.entities import Entity
from convoscope.pipeline.insights.phrases import MessagePhrases
from convoscope.pipeline.insights.questions import Question
from convoscope.pipeline.insights.refs import MessageRef, Person
from convoscope.pipeline.insights.sentiment import MessageSentiment, Sentiment
from convoscope.pipeline.insights.summary import SummarySentence
from convoscope.pipeline.insights.topics import AbstractTopic, Topic
from convoscope.pipeline.insights.trackers import DetectedTracker, InsightRef, TrackerMatch
from convoscope.timeutil import parse_iso

Item = dict[str, Any]


def result_fields(data: Item) -> dict[str, Any]:
    """The fields of an `InsightResult` from a first-format document (missing parts are empty)."""
    return {
        "questions": tuple(_question(item) for item in data.get("questions", [])),
        "action_items": tuple(_action_item(item) for item in data.get("action_items", [])),
        "follow_ups": tuple(_action_item(item) for item in data.get("follow_ups", [])),
        "topics": tuple(_topic(item) for item in data.get("topics", [])),
        "abstract_topics": tuple(
            AbstractTopic(item["id"], item["text"], item["score"], tuple(item["messageIds"]))
            for item in data.get("abstract_topics", [])
        ),
        "entities": tuple(_entity(item) for item in data.get("entities", [])),
        "trackers": tuple(_tracker(item) for item in data.get("trackers", [])),
        "summary": tuple(
            SummarySentence(item["id"], item["text"], tuple(ref["id"] for ref in item["messageRefs"]))
            for item in data.get("summary", [])
        ),
        "message_sentiments": tuple(
            MessageSentiment(message_id, _sentiment(sentiment))
            for message_id, sentiment in data.get("message_sentiments", {}).items()
        ),
        "message_phrases": tuple(
            MessagePhrases(message_id, tuple(phrase["text"] for phrase in phrases))
            for message_id, phrases in data.get("message_phrases", {}).items()
        ),
        "analytics": _analytics(data["analytics"]) if data.get("analytics", {}).get("metrics") else None,
    }


def _person(ref: Item | None) -> Person | None:
    """`{}` (nobody), `{name}` (a name said in the talk) or `{id, name, userId|email}` (a member)."""
    if not ref:
        return None
    return Person(ref["name"], ref.get("id") or None, ref.get("userId") or ref.get("email"))


def _question(item: Item) -> Question:
    return Question(
        item["id"], item["text"], item["score"], tuple(item["messageIds"]), _person(item.get("from"))
    )


def _item_entity(entity: Item) -> ItemEntity:
    value = entity.get("value")
    if isinstance(value, dict):  # a person: {name, assignee}
        return ItemEntity(
            entity["type"], entity["text"], entity["offset"], is_assignee=bool(value["assignee"])
        )
    day = date.fromisoformat(value) if isinstance(value, str) else None
    return ItemEntity(entity["type"], entity["text"], entity["offset"], day=day)


def _action_item(item: Item) -> ActionItem:
    message_ids = item.get("messageIds") or [ref["id"] for ref in item.get("messageRefs", [])]
    return ActionItem(
        id=item["id"],
        text=item["text"],
        score=item["score"],
        message_ids=tuple(message_ids),
        speaker=_person(item.get("from")),
        entities=tuple(_item_entity(entity) for entity in item.get("entities", [])),
        phrases=tuple(phrase["text"] for phrase in item.get("phrases", [])),
        definitive=bool(item.get("definitive", False)),
        assignee=_person(item.get("assignee")),
        due_by=parse_iso(item["dueBy"]) if item.get("dueBy") else None,
    )


def _sentiment(sentiment: Item) -> Sentiment:
    return Sentiment(sentiment["polarity"]["score"], sentiment["suggested"])


def _topic(item: Item) -> Topic:
    parents = item.get("parentRefs") or []
    return Topic(
        id=item["id"],
        text=item["text"],
        score=item["score"],
        message_ids=tuple(item["messageIds"]),
        sentiment=_sentiment(item["sentiment"]),
        parent=parents[0]["text"] if parents else None,
    )


def _mention(ref: Item) -> MessageRef:
    return MessageRef(ref["id"], ref["text"], ref["offset"] if ref["offset"] >= 0 else None)


def _entity(item: Item) -> Entity:
    mentions = tuple(_mention(ref) for ref in item["messageRefs"])
    return Entity(item["type"], item["value"], item["text"], mentions, item.get("customType"))


def _tracker(item: Item) -> DetectedTracker:
    matches = tuple(
        TrackerMatch(
            phrase=match["value"],
            mentions=tuple(_mention(ref) for ref in match["messageRefs"]),
            insights=tuple(
                InsightRef(ref["id"], ref["type"], ref["text"], ref["offset"] if ref["offset"] >= 0 else None)
                for ref in match["insightRefs"]
            ),
        )
        for match in item["matches"]
    )
    return DetectedTracker(item["id"], item["name"], matches)


def _analytics(data: Item) -> Analytics:
    metrics = {metric["type"]: Share(metric["percent"], metric["seconds"]) for metric in data["metrics"]}
    members = tuple(
        MemberAnalytics(
            person=Person(member["name"], member.get("id") or None, member.get("userId")),
            words_per_minute=member["pace"]["wpm"],
            talk=Share(member["talkTime"]["percentage"], member["talkTime"]["seconds"]),
            listen=Share(member["listenTime"]["percentage"], member["listenTime"]["seconds"]),
            overlap_seconds=member["overlap"]["overlapDuration"],
            overlaps=tuple(
                OverlapWith(
                    Person(other["name"], other.get("id") or None, other.get("userId")),
                    Share(other["percent"], other["seconds"]),
                )
                for other in member["overlap"]["overlappingMembers"]
            ),
        )
        for member in data["members"]
    )
    return Analytics(
        silence=metrics["total_silence"],
        talk=metrics["total_talk_time"],
        overlap=metrics["total_overlap"],
        members=members,
    )
