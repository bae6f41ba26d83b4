"""Conversation API, insights (§5.9-5.17, §5.19): served from the stored insight set."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from sqlalchemy import exists, select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from convoscope.api.deps import current_app_id, get_services
from convoscope.api.params import flag
from convoscope.api.schemas.insights import (
    AbstractTopicList,
    ActionItemList,
    Analytics,
    EntityList,
    FollowUpList,
    InsightList,
    QuestionList,
    SummaryOut,
    TopicList,
    TrackerOut,
)
from convoscope.conversations import queries
from convoscope.conversations.insight_views import MemberLookup, render_items, render_topics
from convoscope.conversations.insights import refresh_insights
from convoscope.conversations.transcript import load_transcript
from convoscope.errors import NotFound
from convoscope.services import Services
from convoscope.tables import ACTIVE_STATUSES, Conversation, Job

router = APIRouter(prefix="/v1/conversations/{conversationId}", tags=["insights"])

View = Callable[[Session, Conversation, dict[str, Any], Request], Any]


def _serve(conversation_id: str, request: Request, app_id: str, services: Services, view: View) -> Any:
    if flag(request, "refresh"):
        with services.db.session() as session:
            queries.own_conversation(session, app_id, conversation_id)
        refresh_insights(services.db, conversation_id)
    with services.db.session() as session:
        conversation = queries.own_conversation(session, app_id, conversation_id)
        return view(session, conversation, queries.insights_of(session, conversation.id), request)


def _lookup(session: Session, conversation: Conversation) -> MemberLookup:
    return MemberLookup.build(
        queries.members_of(session, conversation.id), queries.messages_of(session, conversation.id)
    )


def _items(kind: str, key: str) -> View:
    def view(session: Session, conversation: Conversation, stored: dict[str, Any], _request: Request) -> Any:
        return {key: render_items(list(stored.get(kind, [])), _lookup(session, conversation))}

    return view


def _all_insights(
    session: Session, conversation: Conversation, stored: dict[str, Any], _request: Request
) -> Any:
    items = [*stored.get("questions", []), *stored.get("action_items", []), *stored.get("follow_ups", [])]
    return {"insights": render_items(items, _lookup(session, conversation))}


def _topics(_session: Session, _conversation: Conversation, stored: dict[str, Any], request: Request) -> Any:
    topics = render_topics(
        list(stored.get("topics", [])),
        sentiment=flag(request, "sentiment"),
        parent_refs=flag(request, "parentRefs"),
    )
    return {"topics": topics}


def _stored(kind: str, key: str | None) -> View:
    """A list kept as computed; `key` wraps it in an object (None: a top-level array, as trackers)."""

    def view(
        _session: Session, _conversation: Conversation, stored: dict[str, Any], _request: Request
    ) -> Any:
        items = list(stored.get(kind, []))
        return items if key is None else {key: items}

    return view


def _analytics(
    session: Session, conversation: Conversation, _stored: dict[str, Any], _request: Request
) -> Any:
    # Cheap and speaker-dependent: computed from the current messages, so speaker changes show at once.
    from convoscope.pipeline.insights.analytics import compute_analytics

    return compute_analytics(load_transcript(session, conversation))


def _summary(session: Session, conversation: Conversation, stored: dict[str, Any], _request: Request) -> Any:
    running = session.scalar(
        select(exists().where(Job.conversation_id == conversation.id, Job.status.in_(ACTIVE_STATUSES)))
    )
    if running:
        raise NotFound("The summary is not available yet: the conversation is still being processed.")
    return {"summary": list(stored.get("summary", []))}


# Each view with the model its answer follows: documented in the OpenAPI schema (and checked by the
# fuzzing tests); the body itself is sent as built, so the wire JSON keeps its key order.
_VIEWS: dict[str, tuple[View, Any]] = {
    "questions": (_items("questions", "questions"), QuestionList),
    "action-items": (_items("action_items", "actionItems"), ActionItemList),
    "follow-ups": (_items("follow_ups", "followUps"), FollowUpList),
    "insights": (_all_insights, InsightList),
    "topics": (_topics, TopicList),
    "entities": (_stored("entities", "entities"), EntityList),
    "trackers-detected": (_stored("trackers", None), list[TrackerOut]),
    "trackers": (_stored("trackers", None), list[TrackerOut]),
    "analytics": (_analytics, Analytics),
    "summary": (_summary, SummaryOut),
    "comprehensive/action-items": (_items("comprehensive_action_items", "actionItems"), ActionItemList),
    "abstract-topics": (_stored("abstract_topics", "abstractTopics"), AbstractTopicList),
}


def _register(path: str, view: View, model: Any) -> None:
    async def route(
        conversationId: str,
        request: Request,
        app_id: str = Depends(current_app_id),
        services: Services = Depends(get_services),
    ) -> JSONResponse:
        body = await run_in_threadpool(_serve, conversationId, request, app_id, services, view)
        return JSONResponse(body)

    route.__name__ = f"get_{path.replace('/', '_').replace('-', '_')}"
    router.get(f"/{path}", name=route.__name__, response_model=model)(route)
    if path == "summary":  # the tutorial refreshes with POST (§9.12)
        router.post(f"/{path}", name="refresh_summary", response_model=model)(route)


for _path, (_view, _model) in _VIEWS.items():
    _register(_path, _view, _model)
