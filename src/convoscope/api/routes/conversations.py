"""Conversation API, core: conversations, messages, members, speaker events."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Depends, Request
from starlette.concurrency import run_in_threadpool

from convoscope.api.deps import CallerConversation, ServicesDep, current_app_id, get_services
from convoscope.api.params import flag, read_json_object
from convoscope.api.schemas.common import MessageResponse
from convoscope.api.schemas.conversations import (
    ConversationList,
    ConversationOut,
    ConversationUpdate,
    MemberList,
    MemberUpdate,
    MessageList,
    SpeakerEvents,
)
from convoscope.api.wire import insights as wire_insights
from convoscope.conversations import queries
from convoscope.conversations.members import apply_speaker_events, update_member
from convoscope.conversations.render import conversation_json, first_start, member_json, message_json
from convoscope.errors import BadRequest
from convoscope.options import to_int
from convoscope.services import Services
from convoscope.timeutil import parse_iso

router = APIRouter(prefix="/v1/conversations", tags=["conversations"])


def _body_schema(model: type) -> dict[str, Any]:
    return {"requestBody": {"content": {"application/json": {"schema": model.model_json_schema()}}}}  # type: ignore[attr-defined]


@router.get("", response_model=ConversationList)
def list_conversations(
    request: Request, app_id: str = Depends(current_app_id), services: Services = Depends(get_services)
) -> dict[str, Any]:
    query = request.query_params
    limit = to_int("limit", query.get("limit", 20), 0, 65536)
    offset = to_int("offset", query.get("offset", 0), 0, 2**31)
    order = query.get("order", "asc").lower()
    if order not in ("asc", "desc"):
        raise BadRequest('"order" must be one of [asc, desc]')
    with services.db.session() as session:
        rows = queries.list_conversations(
            session,
            app_id,
            limit=limit,
            offset=offset,
            descending=order == "desc",
            start=_time_param(query.get("startTime"), "startTime"),
            end=_time_param(query.get("endTime"), "endTime"),
        )
        members = queries.members_by_conversation(session, [c.id for c in rows])
        return {"conversations": [conversation_json(c, members[c.id]) for c in rows]}


@router.get("/{conversationId}", response_model=ConversationOut, response_model_exclude_unset=True)
def get_conversation(conversation: CallerConversation, services: ServicesDep) -> dict[str, Any]:
    with services.db.session() as session:
        return conversation_json(conversation, queries.members_of(session, conversation.id))


@router.put(
    "/{conversationId}",
    response_model=ConversationOut,
    response_model_exclude_unset=True,
    openapi_extra=_body_schema(ConversationUpdate),
)
async def update_conversation(
    conversationId: str,
    request: Request,
    app_id: str = Depends(current_app_id),
    services: Services = Depends(get_services),
) -> dict[str, Any]:
    body = await read_json_object(request, services.settings.max_body_bytes)
    if "metadata" not in body:
        raise BadRequest('"metadata" is required')

    def change() -> dict[str, Any]:
        with services.db.session() as session:
            conversation = queries.own_conversation(session, app_id, conversationId)
            queries.update_metadata(conversation, body["metadata"])
            return conversation_json(conversation, queries.members_of(session, conversation.id))

    return await run_in_threadpool(change)


@router.delete("/{conversationId}", response_model=MessageResponse)
def delete_conversation(
    conversationId: str, app_id: str = Depends(current_app_id), services: Services = Depends(get_services)
) -> dict[str, str]:
    with services.db.session() as session:
        conversation = queries.own_conversation(session, app_id, conversationId)
        media_keys = queries.delete_conversation(session, conversation)
    for key in media_keys:
        services.media.delete(key)
    return {"message": "successfully deleted the conversation"}


@router.get("/{conversationId}/messages", response_model=MessageList, response_model_exclude_unset=True)
def get_messages(
    conversationId: str,
    request: Request,
    app_id: str = Depends(current_app_id),
    services: Services = Depends(get_services),
) -> dict[str, Any]:
    verbose, with_sentiment = flag(request, "verbose"), flag(request, "sentiment")
    with services.db.session() as session:
        conversation = queries.own_conversation(session, app_id, conversationId)
        members = {m.id: m for m in queries.members_of(session, conversation.id)}
        messages = queries.messages_of(session, conversation.id)
        insights = queries.insights_of(session, conversation.id)
        sentiments = wire_insights.message_sentiments(insights)
        phrases = wire_insights.message_phrases(insights)
        origin = first_start(messages)
        return {
            "messages": [
                message_json(
                    m,
                    members.get(m.member_id) if m.member_id else None,
                    origin=origin,
                    verbose=verbose,
                    sentiment=_sentiment(sentiments.get(m.id)) if with_sentiment else None,
                    phrases=phrases.get(m.id, []),
                )
                for m in messages
            ]
        }


@router.get("/{conversationId}/members", response_model=MemberList, response_model_exclude_unset=True)
def get_members(
    conversationId: str, app_id: str = Depends(current_app_id), services: Services = Depends(get_services)
) -> dict[str, Any]:
    with services.db.session() as session:
        conversation = queries.own_conversation(session, app_id, conversationId)
        return {"members": [member_json(m) for m in queries.members_of(session, conversation.id)]}


@router.put(
    "/{conversationId}/members/{memberId}",
    response_model=MessageResponse,
    openapi_extra=_body_schema(MemberUpdate),
)
async def put_member(
    conversationId: str,
    memberId: str,
    request: Request,
    app_id: str = Depends(current_app_id),
    services: Services = Depends(get_services),
) -> dict[str, str]:
    body = await read_json_object(request, services.settings.max_body_bytes)

    def change() -> None:
        with services.db.session() as session:
            conversation = queries.own_conversation(session, app_id, conversationId)
            update_member(session, conversation, memberId, body)

    await run_in_threadpool(change)
    return {
        "message": f"Member with id: {memberId} for conversationId: {conversationId} updated successfully! "
        "The update should be reflected in all messages and insights along with this conversation"
    }


@router.put(
    "/{conversationId}/speakers", response_model=MessageResponse, openapi_extra=_body_schema(SpeakerEvents)
)
async def put_speaker_events(
    conversationId: str,
    request: Request,
    app_id: str = Depends(current_app_id),
    services: Services = Depends(get_services),
) -> dict[str, str]:
    body = await read_json_object(request, services.settings.max_body_bytes)
    events = body.get("speakerEvents")
    if not isinstance(events, list) or not all(isinstance(e, dict) for e in events):
        raise BadRequest('"speakerEvents" must be an array of objects')

    def change() -> None:
        with services.db.session() as session:
            conversation = queries.own_conversation(session, app_id, conversationId)
            apply_speaker_events(session, conversation, events)

    await run_in_threadpool(change)
    return {
        "message": f"Speaker events associated for conversationId: {conversationId} successfully! "
        "The update should be reflected in all messages and insights along with this conversation"
    }


def _time_param(value: str | None, name: str) -> datetime | None:
    if not value:
        return None
    try:
        return parse_iso(value)
    except ValueError:
        raise BadRequest(f'"{name}" must be an ISO-8601 date string') from None


def _sentiment(stored: dict[str, Any] | None) -> dict[str, Any]:
    return stored or {"polarity": {"score": 0.0}, "suggested": "neutral"}
