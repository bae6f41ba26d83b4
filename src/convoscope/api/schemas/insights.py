"""Insight shapes (questions, action items, follow-ups, topics, entities, trackers, analytics,
summary). Exact: no undocumented field passes response validation. Optional fields are left out of
the answer when not set (the routes answer with `response_model_exclude_unset`), so the field order
here is the order on the wire."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from convoscope.api.schemas.common import Exact


class PersonRef(Exact):
    """An insight's `from` / `assignee`: the member now speaking it; `{}` when nobody is known."""

    id: str | None = None
    name: str | None = None
    userId: str | None = None
    email: str | None = None


class Phrase(Exact):
    type: Literal["action_phrase"]
    text: str


class NamedPerson(Exact):
    name: str
    assignee: bool


class ItemEntity(Exact):
    """An entity inside an action item or follow-up; `value` is a date, or the person named."""

    type: str
    text: str
    offset: int
    value: str | NamedPerson | None = None


class MessageIdRef(Exact):
    id: str


class InsightItem(Exact):
    """A question, action item or follow-up (a question has no entities, phrases, assignee...)."""

    id: str
    text: str
    type: Literal["question", "action_item", "follow_up"]
    score: float = Field(ge=0, le=1)
    messageIds: list[str]
    entities: list[ItemEntity] | None = None
    phrases: list[Phrase] | None = None
    from_: PersonRef = Field(alias="from")
    definitive: bool | None = None
    assignee: PersonRef | None = None
    dueBy: str | None = None


class ComprehensiveActionItem(Exact):
    """An action item in the comprehensive shape: its messages as `messageRefs`, last."""

    id: str
    text: str
    type: Literal["action_item"]
    score: float = Field(ge=0, le=1)
    entities: list[ItemEntity]
    phrases: list[Phrase]
    from_: PersonRef = Field(alias="from")
    definitive: bool
    assignee: PersonRef
    dueBy: str | None = None
    messageRefs: list[MessageIdRef]


class QuestionList(Exact):
    questions: list[InsightItem]


class ActionItemList(Exact):
    actionItems: list[InsightItem]


class ComprehensiveActionItemList(Exact):
    actionItems: list[ComprehensiveActionItem]


class FollowUpList(Exact):
    followUps: list[InsightItem]


class InsightList(Exact):
    insights: list[InsightItem]


class Polarity(Exact):
    score: float


class Sentiment(Exact):
    polarity: Polarity
    suggested: Literal["positive", "neutral", "negative"]


class ParentRef(Exact):
    type: Literal["topic"]
    text: str


class TopicOut(Exact):
    id: str
    text: str
    type: Literal["topic"]
    score: float = Field(ge=0, le=1)
    messageIds: list[str]
    sentiment: Sentiment | None = Field(default=None, description="With `?sentiment=true`.")
    parentRefs: list[ParentRef] | None = Field(default=None, description="With `?parentRefs=true`.")


class TopicList(Exact):
    topics: list[TopicOut]


class AbstractTopicOut(Exact):
    id: str
    text: str
    type: Literal["abstract_topic"]
    score: float = Field(ge=0, le=1)
    messageIds: list[str]


class AbstractTopicList(Exact):
    abstractTopics: list[AbstractTopicOut]


class MessageRef(Exact):
    id: str
    text: str
    offset: int


class EntityOut(Exact):
    type: str
    customType: str | None = Field(default=None, description="For `custom` entities.")
    value: str
    text: str
    messageRefs: list[MessageRef]


class EntityList(Exact):
    entities: list[EntityOut]


class InsightRef(Exact):
    id: str
    text: str
    offset: int
    type: str


class TrackerMatch(Exact):
    type: str
    value: str
    messageRefs: list[MessageRef]
    insightRefs: list[InsightRef]


class TrackerOut(Exact):
    id: str
    name: str
    matches: list[TrackerMatch]


# Three decimals; a duration summed over no interval at all is the integer 0.
Seconds = Annotated[int | float, Field(description="Seconds.")]


class Metric(Exact):
    type: Literal["total_silence", "total_talk_time", "total_overlap"]
    percent: float
    seconds: Seconds


class Pace(Exact):
    wpm: int


class TimeShare(Exact):
    percentage: float
    seconds: Seconds


class OverlappingMember(Exact):
    id: str | None = None
    name: str | None = None
    userId: str | None = None
    percent: float
    seconds: Seconds


class Overlap(Exact):
    overlapDuration: Seconds
    overlappingMembers: list[OverlappingMember]


class MemberAnalytics(Exact):
    id: str | None = None
    name: str | None = None
    userId: str | None = None
    pace: Pace
    talkTime: TimeShare
    listenTime: TimeShare
    overlap: Overlap


class Analytics(Exact):
    metrics: list[Metric]
    members: list[MemberAnalytics]


class SummaryItem(Exact):
    id: str
    text: str
    messageRefs: list[MessageIdRef]


class SummaryOut(Exact):
    summary: list[SummaryItem]
