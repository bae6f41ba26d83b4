"""Endpoints beyond Symbl's API that the web UI and CLI use: a conversation's jobs, its media, search.

Same auth and `{"message"}` errors as the rest of /v1; another app's ids answer 404 like unknown ones.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import FileResponse

from convoscope.api.deps import (
    AppId,
    CallerConversation,
    ServicesDep,
    caller_conversation,
    credential_app_id,
    current_app_id,
)
from convoscope.api.schemas.extensions import JobList, JobOut, SearchHitOut, SearchQuery, SearchResults
from convoscope.conversations import queries
from convoscope.conversations.media_timeline import conversation_jobs, media_file, media_spans
from convoscope.conversations.search import search_conversations
from convoscope.errors import JobNotFound

router = APIRouter(prefix="/v1", tags=["extensions"])


def media_app_id(request: Request, services: ServicesDep) -> str:
    """The app of a header token, or of `?access_token=`: an <audio src> cannot send headers."""
    token = request.query_params.get("access_token", "").strip()
    if not token:
        return current_app_id(request)
    return credential_app_id(services, token)


@router.get("/conversations/{conversationId}/jobs", response_model=JobList, response_model_exclude_unset=True)
def list_jobs(conversation: CallerConversation, services: ServicesDep) -> JobList:
    """The conversation's jobs in submission order, with where each job's media sits on its timeline."""
    with services.db.session() as session:
        jobs = conversation_jobs(session, conversation.id)
    spans = media_spans(services.media, jobs)
    return JobList(jobs=[JobOut.of(job, spans.get(job.id)) for job in jobs])


@router.get("/conversations/{conversationId}/media/{jobId}", response_class=FileResponse)
def get_media(
    conversationId: str,
    jobId: str,
    app_id: Annotated[str, Depends(media_app_id)],
    services: ServicesDep,
) -> FileResponse:
    """The job's media file; `Range` requests are answered with 206 so players can seek."""
    conversation = caller_conversation(conversationId, app_id, services)
    with services.db.session() as session:
        job = next((j for j in conversation_jobs(session, conversation.id) if j.id == jobId), None)
    if job is None:
        raise JobNotFound()
    path, mime = media_file(services.media, job)
    return FileResponse(path, media_type=mime, headers={"Cache-Control": "private, max-age=3600"})


@router.get("/search", response_model=SearchResults, response_model_exclude_unset=True)
def search(query: Annotated[SearchQuery, Query()], app_id: AppId, services: ServicesDep) -> SearchResults:
    """Conversations whose name or spoken words contain every word of `q`, newest first."""
    with services.db.session() as session:
        hits, total = search_conversations(session, app_id, query.q, limit=query.limit, offset=query.offset)
        members = queries.members_by_conversation(session, [hit.conversation.id for hit in hits])
    return SearchResults(
        conversations=[SearchHitOut.of_hit(hit, members[hit.conversation.id]) for hit in hits], total=total
    )
