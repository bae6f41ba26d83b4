"""Conversation API, insights: questions, action items, follow-ups, topics, entities, trackers,
analytics, summary, and the comprehensive action items and abstract topics of Symbl's labs API.

Every answer is read from the stored insight set, except analytics, which are computed from the
current messages on each request. `?refresh=true` leaves a job that analyses the conversation again
(`conversations.insight_refresh`); the answer is the stored insights.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from convoscope.api.deps import CallerConversation, ServicesDep
from convoscope.api.params import flag
from convoscope.api.schemas.insights import (
    AbstractTopicList,
    ActionItemList,
    Analytics,
    ComprehensiveActionItemList,
    EntityList,
    FollowUpList,
    InsightList,
    QuestionList,
    SummaryOut,
    TopicList,
    TrackerOut,
)
from convoscope.api.wire import insights as wire
from convoscope.conversations import queries
from convoscope.conversations.insight_refresh import request_refresh
from convoscope.conversations.transcript import load_transcript
from convoscope.errors import NotFound
from convoscope.pipeline.insights.analytics import compute_analytics
from convoscope.pipeline.insights.result import InsightResult
from convoscope.services import Services
from convoscope.tables import Conversation

# Answers leave out what is not set, and are written by `json.dumps` (as Starlette's JSONResponse
# does) rather than by pydantic's serializer, which writes small floats differently (1e-5, not 1e-05).
router = APIRouter(
    prefix="/v1/conversations/{conversationId}", tags=["insights"], default_response_class=JSONResponse
)


def _refresh_if_asked(request: Request, services: Services, conversation: Conversation) -> None:
    if flag(request, "refresh"):
        request_refresh(services, conversation.app_id, conversation.id)


def _stored(request: Request, services: Services, conversation: Conversation) -> InsightResult:
    _refresh_if_asked(request, services, conversation)
    with services.db.session() as session:
        return queries.insights_of(session, conversation.id)


def _with_people(
    request: Request, services: Services, conversation: Conversation
) -> tuple[InsightResult, wire.People]:
    """The stored insights and the members who now speak the conversation's messages."""
    _refresh_if_asked(request, services, conversation)
    with services.db.session() as session:
        members = queries.members_of(session, conversation.id)
        people = wire.People(members, queries.messages_of(session, conversation.id))
        return queries.insights_of(session, conversation.id), people


@router.get("/questions", response_model=QuestionList, response_model_exclude_unset=True)
def get_questions(request: Request, services: ServicesDep, conversation: CallerConversation) -> QuestionList:
    result, people = _with_people(request, services, conversation)
    return QuestionList(questions=[wire.question(item, people) for item in result.questions])


@router.get("/action-items", response_model=ActionItemList, response_model_exclude_unset=True)
def get_action_items(
    request: Request, services: ServicesDep, conversation: CallerConversation
) -> ActionItemList:
    result, people = _with_people(request, services, conversation)
    return ActionItemList(actionItems=[wire.action_item(item, people) for item in result.action_items])


@router.get("/follow-ups", response_model=FollowUpList, response_model_exclude_unset=True)
def get_follow_ups(request: Request, services: ServicesDep, conversation: CallerConversation) -> FollowUpList:
    result, people = _with_people(request, services, conversation)
    return FollowUpList(followUps=[wire.action_item(item, people, "follow_up") for item in result.follow_ups])


@router.get("/insights", response_model=InsightList, response_model_exclude_unset=True)
def get_insights(request: Request, services: ServicesDep, conversation: CallerConversation) -> InsightList:
    result, people = _with_people(request, services, conversation)
    return InsightList(insights=wire.all_insights(result, people))


@router.get("/topics", response_model=TopicList, response_model_exclude_unset=True)
def get_topics(request: Request, services: ServicesDep, conversation: CallerConversation) -> TopicList:
    """`?sentiment=true` adds each topic's sentiment, `?parentRefs=true` its parent topic."""
    result = _stored(request, services, conversation)
    with_sentiment, with_parent_refs = flag(request, "sentiment"), flag(request, "parentRefs")
    return TopicList(
        topics=[
            wire.topic(item, with_sentiment=with_sentiment, with_parent_refs=with_parent_refs)
            for item in result.topics
        ]
    )


@router.get("/entities", response_model=EntityList, response_model_exclude_unset=True)
def get_entities(request: Request, services: ServicesDep, conversation: CallerConversation) -> EntityList:
    result = _stored(request, services, conversation)
    return EntityList(entities=[wire.entity(item) for item in result.entities])


def _trackers(request: Request, services: Services, conversation: Conversation) -> list[TrackerOut]:
    """A top-level array, as Symbl answers it."""
    return [wire.tracker(item) for item in _stored(request, services, conversation).trackers]


@router.get("/trackers-detected", response_model=list[TrackerOut], response_model_exclude_unset=True)
def get_trackers_detected(
    request: Request, services: ServicesDep, conversation: CallerConversation
) -> list[TrackerOut]:
    return _trackers(request, services, conversation)


@router.get("/trackers", response_model=list[TrackerOut], response_model_exclude_unset=True)
def get_trackers(
    request: Request, services: ServicesDep, conversation: CallerConversation
) -> list[TrackerOut]:
    return _trackers(request, services, conversation)


@router.get("/analytics", response_model=Analytics, response_model_exclude_unset=True)
def get_analytics(request: Request, services: ServicesDep, conversation: CallerConversation) -> Analytics:
    # Cheap and speaker-dependent: computed from the current messages, so speaker changes show at once.
    _refresh_if_asked(request, services, conversation)
    with services.db.session() as session:
        transcript = load_transcript(session, conversation)
    return wire.analytics(compute_analytics(transcript))


# Symbl's summary tutorial asks for a summary again with a POST.
@router.post("/summary", name="refresh_summary", response_model=SummaryOut, response_model_exclude_unset=True)
@router.get("/summary", response_model=SummaryOut, response_model_exclude_unset=True)
def get_summary(request: Request, services: ServicesDep, conversation: CallerConversation) -> SummaryOut:
    """404 while a job of the conversation waits or runs: its summary is not made yet."""
    result = _stored(request, services, conversation)
    with services.db.session() as session:
        if queries.is_processing(session, conversation.id):
            raise NotFound("The summary is not available yet: the conversation is still being processed.")
    return SummaryOut(summary=[wire.summary_sentence(item) for item in result.summary])


@router.get(
    "/comprehensive/action-items",
    response_model=ComprehensiveActionItemList,
    response_model_exclude_unset=True,
)
def get_comprehensive_action_items(
    request: Request, services: ServicesDep, conversation: CallerConversation
) -> ComprehensiveActionItemList:
    result, people = _with_people(request, services, conversation)
    return ComprehensiveActionItemList(
        actionItems=[wire.comprehensive_action_item(item, people) for item in result.action_items]
    )


@router.get("/abstract-topics", response_model=AbstractTopicList, response_model_exclude_unset=True)
def get_abstract_topics(
    request: Request, services: ServicesDep, conversation: CallerConversation
) -> AbstractTopicList:
    result = _stored(request, services, conversation)
    return AbstractTopicList(abstractTopics=[wire.abstract_topic(item) for item in result.abstract_topics])
