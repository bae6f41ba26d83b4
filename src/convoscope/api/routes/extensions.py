"""Endpoints beyond Symbl's API that the web UI and CLI use: a conversation's jobs, its media, search.

Same auth and `{"message"}` errors as the rest of /v1; another app's ids answer 404 like unknown ones.
"""

from __future__ import annotations

import time
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import FileResponse

from convoscope import media_links
from convoscope.api.deps import (
    AppId,
    CallerConversation,
    ServicesDep,
    app_conversation,
    count_request,
    current_app_id,
)
from convoscope.api.schemas.extensions import (
    JobList,
    JobOut,
    MediaLinkOut,
    SearchHitOut,
    SearchQuery,
    SearchResults,
)
from convoscope.conversations import queries
from convoscope.conversations.media_timeline import conversation_jobs, media_file, media_spans
from convoscope.conversations.search import search_conversations
from convoscope.errors import JobNotFound, Unauthorized
from convoscope.services import Services
from convoscope.tables import Job

router = APIRouter(prefix="/v1", tags=["extensions"])


def media_app_id(conversationId: str, jobId: str, request: Request, services: ServicesDep) -> str:
    """The app of a header token or API key, or of a signed media link (`?expires=&signature=`: an
    <audio src> cannot send headers); counted against the app's request rate either way."""
    expires, signature = request.query_params.get("expires"), request.query_params.get("signature")
    if expires is None or signature is None:
        return current_app_id(request)
    with services.db.session() as session:
        owner = queries.conversation_owner(session, conversationId) or ""
    # An unknown conversation is checked like a known one, and refused the same way.
    now = time.time()
    valid = media_links.verify(services.signing_key, owner, conversationId, jobId, expires, signature, now)
    if not (valid and owner):
        raise Unauthorized("The media link is invalid or has expired.")
    count_request(services, owner)
    return owner


def _own_media_job(services: Services, app_id: str, conversation_id: str, job_id: str) -> Job:
    conversation = app_conversation(services, app_id, conversation_id)
    with services.db.session() as session:
        job = next((j for j in conversation_jobs(session, conversation.id) if j.id == job_id), None)
    if job is None:
        raise JobNotFound()
    return job


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
    job = _own_media_job(services, app_id, conversationId, jobId)
    path, mime = media_file(services.media, job)
    return FileResponse(path, media_type=mime, headers={"Cache-Control": "private, max-age=600"})


@router.get("/conversations/{conversationId}/media/{jobId}/link", response_model=MediaLinkOut)
def get_media_link(conversationId: str, jobId: str, app_id: AppId, services: ServicesDep) -> MediaLinkOut:
    """A short-lived URL of the job's media that needs no header: for `<audio src>` and `<video src>`."""
    job = _own_media_job(services, app_id, conversationId, jobId)
    media_file(services.media, job)  # 404 when the job has no media
    lifetime = services.settings.tokens.media_link_seconds
    link = media_links.sign(services.signing_key, app_id, conversationId, jobId, time.time(), lifetime)
    return MediaLinkOut(url=link.url, expiresIn=lifetime)


@router.get("/search", response_model=SearchResults, response_model_exclude_unset=True)
def search(query: Annotated[SearchQuery, Query()], app_id: AppId, services: ServicesDep) -> SearchResults:
    """Conversations whose name or spoken words contain every word of `q`, newest first."""
    with services.db.session() as session:
        hits, total = search_conversations(session, app_id, query.q, limit=query.limit, offset=query.offset)
        members = queries.members_by_conversation(session, [hit.conversation.id for hit in hits])
    return SearchResults(
        conversations=[SearchHitOut.of_hit(hit, members[hit.conversation.id]) for hit in hits], total=total
    )
