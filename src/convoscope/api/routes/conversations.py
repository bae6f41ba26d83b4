"""Conversation API, core: conversations, messages, members, speaker events."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from convoscope.api.deps import AppId, CallerConversation, ServicesDep
from convoscope.api.openapi import request_body
from convoscope.api.params import json_body
from convoscope.api.schemas.common import MessageResponse
from convoscope.api.schemas.conversations import (
    ConversationList,
    ConversationOut,
    ConversationQuery,
    ConversationUpdate,
    MemberList,
    MemberOut,
    MemberUpdate,
    MessageList,
    MessagesQuery,
    Redacting,
)
from convoscope.api.schemas.speakers import SpeakerEvents
from convoscope.api.wire.pii import kinds_named
from convoscope.conversations import queries
from convoscope.conversations.members import apply_speaker_events, update_member
from convoscope.conversations.pii import message_pii
from convoscope.pipeline.pii import PiiKind

router = APIRouter(prefix="/v1/conversations", tags=["conversations"])

# Bodies are read after the caller is authenticated and before the conversation is looked up: a bad
# body is a 400 whether or not the conversation exists, as it always was.
UpdateBody = Annotated[ConversationUpdate, json_body(ConversationUpdate)]
MemberBody = Annotated[MemberUpdate, json_body(MemberUpdate)]
SpeakersBody = Annotated[SpeakerEvents, json_body(SpeakerEvents)]


@router.get("", response_model=ConversationList)
def list_conversations(
    query: Annotated[ConversationQuery, Query()], app_id: AppId, services: ServicesDep
) -> ConversationList:
    with services.db.session() as session:
        rows = queries.list_conversations(
            session,
            app_id,
            limit=query.limit,
            offset=query.offset,
            descending=query.order == "desc",
            start=query.startTime,
            end=query.endTime,
        )
        members = queries.members_by_conversation(session, [c.id for c in rows])
    return ConversationList(conversations=[ConversationOut.of(c, members[c.id]) for c in rows])


@router.get("/{conversationId}", response_model=ConversationOut, response_model_exclude_unset=True)
def get_conversation(conversation: CallerConversation, services: ServicesDep) -> ConversationOut:
    with services.db.session() as session:
        return ConversationOut.of(conversation, queries.members_of(session, conversation.id))


@router.put(
    "/{conversationId}",
    response_model=ConversationOut,
    response_model_exclude_unset=True,
    openapi_extra=request_body(ConversationUpdate),
)
def update_conversation(
    update: UpdateBody, conversation: CallerConversation, services: ServicesDep
) -> ConversationOut:
    with services.db.session() as session:
        changed = queries.update_metadata(session, conversation.id, update.metadata)
        return ConversationOut.of(changed, queries.members_of(session, conversation.id))


@router.delete("/{conversationId}", response_model=MessageResponse)
def delete_conversation(conversation: CallerConversation, services: ServicesDep) -> MessageResponse:
    with services.db.session() as session:
        media_keys = queries.delete_conversation(session, conversation.id)
    for key in media_keys:
        services.media.delete(key)
    return MessageResponse(message="successfully deleted the conversation")


@router.get("/{conversationId}/messages", response_model=MessageList, response_model_exclude_unset=True)
def get_messages(
    conversation: CallerConversation, query: Annotated[MessagesQuery, Query()], services: ServicesDep
) -> MessageList:
    """`?redact=true&exclude=["PERSON_NAME"]` masks personal data of every type but the excluded."""
    shown_anyway = kinds_named(query.exclude)
    with services.db.session() as session:
        found = queries.conversation_messages(session, conversation)
    names = [member.name for member in found.members.values()]
    stored = message_pii(found.messages, names, search_missing=query.redact)
    hidden = frozenset(PiiKind) - shown_anyway if query.redact else frozenset()
    return MessageList.of(found, query, Redacting(stored, hidden, query.redactionString))


@router.get("/{conversationId}/members", response_model=MemberList, response_model_exclude_unset=True)
def get_members(conversation: CallerConversation, services: ServicesDep) -> MemberList:
    with services.db.session() as session:
        return MemberList(members=[MemberOut.of(m) for m in queries.members_of(session, conversation.id)])


@router.put(
    "/{conversationId}/members/{memberId}",
    response_model=MessageResponse,
    openapi_extra=request_body(MemberUpdate),
)
def put_member(
    memberId: str, update: MemberBody, conversation: CallerConversation, services: ServicesDep
) -> MessageResponse:
    with services.db.session() as session:
        update_member(session, conversation.id, memberId, update.name, update.email)
    return MessageResponse(
        message=f"Member with id: {memberId} for conversationId: {conversation.id} updated successfully! "
        "The update should be reflected in all messages and insights along with this conversation"
    )


@router.put(
    "/{conversationId}/speakers", response_model=MessageResponse, openapi_extra=request_body(SpeakerEvents)
)
def put_speaker_events(
    events: SpeakersBody, conversation: CallerConversation, services: ServicesDep
) -> MessageResponse:
    with services.db.session() as session:
        apply_speaker_events(session, conversation.id, events.events())
    return MessageResponse(
        message=f"Speaker events associated for conversationId: {conversation.id} successfully! "
        "The update should be reflected in all messages and insights along with this conversation"
    )
