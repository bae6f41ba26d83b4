"""Stored insights in Symbl's wire shapes, with the conversation's members as they are now.

Insights keep who said or is assigned them as member ids (with the name and contact of the time).
They are rendered with the member's current name and contact, so a rename, a merge or a speaker
change shows at once without analysing anything again: `from` is whoever now speaks the item's
message, else the stored member looked up by id; `assignee` is the stored member looked up by id.
A member that no longer exists, or a person who is not a member, is shown as stored.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Literal

from convoscope.api.schemas import insights as shapes
from convoscope.api.wire.members import sender_json
from convoscope.pipeline.insights.action_items import ActionItem, ItemEntity
from convoscope.pipeline.insights.analytics import Analytics
from convoscope.pipeline.insights.entities import Entity
from convoscope.pipeline.insights.questions import Question
from convoscope.pipeline.insights.refs import MessageRef, Person
from convoscope.pipeline.insights.result import InsightResult
from convoscope.pipeline.insights.sentiment import Sentiment
from convoscope.pipeline.insights.summary import SummarySentence
from convoscope.pipeline.insights.topics import AbstractTopic, Topic
from convoscope.pipeline.insights.trackers import DetectedTracker
from convoscope.tables import Member, Message
from convoscope.timeutil import to_iso

Contact = Literal["userId", "email"]
ItemKind = Literal["action_item", "follow_up"]


class People:
    """The conversation's members now, and who speaks each message."""

    def __init__(self, members: Iterable[Member], messages: Iterable[Message]) -> None:
        self._members = {member.id: member for member in members}
        self._speaker_of_message = {message.id: message.member_id for message in messages}

    def speaker(self, message_ids: Iterable[str]) -> Member | None:
        """The member who now speaks the first of these messages that has a known speaker."""
        for message_id in message_ids:
            member_id = self._speaker_of_message.get(message_id)
            if member_id and member_id in self._members:
                return self._members[member_id]
        return None

    def member(self, person: Person | None) -> Member | None:
        if person is None or person.member_id is None:
            return None
        return self._members.get(person.member_id)


def person_fields(person: Person | None, contact: Contact) -> dict[str, Any]:
    """`{id, name, userId|email}` of a person as stored; `{name}` for a non-member; `{}` for nobody."""
    if person is None:
        return {}
    fields: dict[str, Any] = {"name": person.name}
    if person.member_id:
        fields = {"id": person.member_id, **fields}
    if person.email:
        fields[contact] = person.email
    return fields


def _person(person: Person | None, now: Member | None, contact: Contact) -> shapes.PersonRef:
    if now is not None:
        return shapes.PersonRef(**sender_json(now, user_id_field=contact == "userId"))
    return shapes.PersonRef(**person_fields(person, contact))


def _speaker(item: Question | ActionItem, people: People) -> shapes.PersonRef:
    now = people.speaker(item.message_ids) or people.member(item.speaker)
    return _person(item.speaker, now, "userId")


def question(item: Question, people: People) -> shapes.InsightItem:
    return shapes.InsightItem(
        id=item.id,
        text=item.text,
        type="question",
        score=item.score,
        messageIds=list(item.message_ids),
        from_=_speaker(item, people),
    )


def _item_entity(entity: ItemEntity) -> shapes.ItemEntity:
    """A person's value is `{name, assignee}`; a date's the local day it names (`YYYY-MM-DD`), a
    time's the time of day (`HH:MM:SS`), a datetime's both (`YYYY-MM-DD HH:MM:SS`), when known."""
    value: dict[str, Any] = {}
    if entity.kind == "person":
        value["value"] = shapes.NamedPerson(name=entity.text, assignee=entity.is_assignee)
    elif entity.kind == "time" and entity.clock is not None:
        value["value"] = entity.clock
    elif entity.kind == "datetime" and entity.day is not None and entity.clock is not None:
        value["value"] = f"{entity.day.isoformat()} {entity.clock}"
    elif entity.day is not None:
        value["value"] = entity.day.isoformat()
    return shapes.ItemEntity(type=entity.kind, text=entity.text, offset=entity.offset, **value)


def _action_fields(item: ActionItem, people: People) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "id": item.id,
        "text": item.text,
        "score": item.score,
        "entities": [_item_entity(entity) for entity in item.entities],
        "phrases": [shapes.Phrase(type="action_phrase", text=phrase) for phrase in item.phrases],
        "from_": _speaker(item, people),
        "definitive": item.definitive,
        "assignee": _person(item.assignee, people.member(item.assignee), "email"),
    }
    if item.due_by is not None:
        fields["dueBy"] = to_iso(item.due_by)
    return fields


def action_item(item: ActionItem, people: People, kind: ItemKind = "action_item") -> shapes.InsightItem:
    return shapes.InsightItem(type=kind, messageIds=list(item.message_ids), **_action_fields(item, people))


def comprehensive_action_item(item: ActionItem, people: People) -> shapes.ComprehensiveActionItem:
    """The comprehensive shape says the item as a note ("Maya will send Tom the deck by Friday"),
    as Symbl's labs endpoint does; items stored before notes were made keep the words said."""
    message_refs = [shapes.MessageIdRef(id=message_id) for message_id in item.message_ids]
    fields = _action_fields(item, people)
    if item.rephrased:
        fields["text"] = item.rephrased
    return shapes.ComprehensiveActionItem(type="action_item", messageRefs=message_refs, **fields)


def all_insights(result: InsightResult, people: People) -> list[shapes.InsightItem]:
    """What GET .../insights lists: the questions, then the action items, then the follow-ups."""
    return [
        *(question(item, people) for item in result.questions),
        *(action_item(item, people) for item in result.action_items),
        *(action_item(item, people, "follow_up") for item in result.follow_ups),
    ]


def sentiment_out(value: Sentiment) -> shapes.Sentiment:
    return shapes.Sentiment(polarity=shapes.Polarity(score=value.polarity), suggested=value.label)


def topic(item: Topic, *, with_sentiment: bool, with_parent_refs: bool) -> shapes.TopicOut:
    fields: dict[str, Any] = {}
    if with_sentiment:
        fields["sentiment"] = sentiment_out(item.sentiment)
    if with_parent_refs:
        fields["parentRefs"] = [shapes.ParentRef(type="topic", text=item.parent)] if item.parent else []
    return shapes.TopicOut(
        id=item.id,
        text=item.text,
        type="topic",
        score=item.score,
        messageIds=list(item.message_ids),
        **fields,
    )


def abstract_topic(item: AbstractTopic) -> shapes.AbstractTopicOut:
    return shapes.AbstractTopicOut(
        id=item.id, text=item.text, type="abstract_topic", score=item.score, messageIds=list(item.message_ids)
    )


def _offset(offset: int | None) -> int:
    return -1 if offset is None else offset  # -1: meant in other words, not said


def _message_ref(ref: MessageRef) -> shapes.MessageRef:
    return shapes.MessageRef(id=ref.message_id, text=ref.text, offset=_offset(ref.offset))


def entity(item: Entity) -> shapes.EntityOut:
    custom = {"customType": item.custom_type} if item.custom_type is not None else {}
    mentions = [_message_ref(ref) for ref in item.mentions]
    return shapes.EntityOut(type=item.kind, value=item.value, text=item.text, messageRefs=mentions, **custom)


def tracker(item: DetectedTracker) -> shapes.TrackerOut:
    matches = [
        shapes.TrackerMatch(
            type="vocabulary",
            value=match.phrase,
            messageRefs=[_message_ref(ref) for ref in match.mentions],
            insightRefs=[
                shapes.InsightRef(id=ref.insight_id, text=ref.text, offset=_offset(ref.offset), type=ref.kind)
                for ref in match.insights
            ],
        )
        for match in item.matches
    ]
    return shapes.TrackerOut(id=item.id, name=item.name, matches=matches)


def summary_sentence(item: SummarySentence) -> shapes.SummaryItem:
    return shapes.SummaryItem(
        id=item.id,
        text=item.text,
        messageRefs=[shapes.MessageIdRef(id=message_id) for message_id in item.message_ids],
    )


def analytics(value: Analytics) -> shapes.Analytics:
    metrics = [
        shapes.Metric(type=kind, percent=share.percent, seconds=share.seconds)
        for kind, share in (
            ("total_silence", value.silence),
            ("total_talk_time", value.talk),
            ("total_overlap", value.overlap),
        )
    ]
    members = [
        shapes.MemberAnalytics(
            **person_fields(member.person, "userId"),
            pace=shapes.Pace(wpm=member.words_per_minute),
            talkTime=shapes.TimeShare(percentage=member.talk.percent, seconds=member.talk.seconds),
            listenTime=shapes.TimeShare(percentage=member.listen.percent, seconds=member.listen.seconds),
            overlap=shapes.Overlap(
                overlapDuration=member.overlap_seconds,
                overlappingMembers=[
                    shapes.OverlappingMember(
                        **person_fields(other.person, "userId"),
                        percent=other.share.percent,
                        seconds=other.share.seconds,
                    )
                    for other in member.overlaps
                ],
            ),
        )
        for member in value.members
    ]
    return shapes.Analytics(metrics=metrics, members=members)


def message_sentiments(result: InsightResult) -> dict[str, dict[str, Any]]:
    """Message id -> `{polarity: {score}, suggested}`, for the messages' `sentiment`."""
    return {
        item.message_id: sentiment_out(item.sentiment).model_dump(mode="json")
        for item in result.message_sentiments
    }


def message_phrases(result: InsightResult) -> dict[str, list[dict[str, Any]]]:
    """Message id -> `[{type: action_phrase, text}]`, for the messages' `phrases`."""
    return {
        item.message_id: [{"type": "action_phrase", "text": text} for text in item.phrases]
        for item in result.message_phrases
    }
