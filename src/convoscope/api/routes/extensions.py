"""Endpoints beyond Symbl's API that the web UI and CLI use: a conversation's jobs, its media, search.

Same auth and `{"message"}` errors as the rest of /v1; another app's ids answer 404 like unknown ones.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse
from starlette.concurrency import run_in_threadpool

from convoscope.api.deps import current_app_id, get_services
from convoscope.conversations import queries
from convoscope.conversations.media_timeline import conversation_jobs, job_json, media_file, media_spans
from convoscope.conversations.render import conversation_json
from convoscope.conversations.search import search_conversations
from convoscope.errors import JobNotFound
from convoscope.options import to_int
from convoscope.services import Services

router = APIRouter(prefix="/v1", tags=["extensions"])


def media_app_id(request: Request, services: Services = Depends(get_services)) -> str:
    """The app of a header token, or of `?access_token=`: an <audio src> cannot send headers."""
    token = request.query_params.get("access_token", "").strip()
    if not token:
        return current_app_id(request)
    with services.db.session() as session:
        return services.tokens.authenticate(session, token)


@router.get("/conversations/{conversationId}/jobs")
def list_jobs(
    conversationId: str, app_id: str = Depends(current_app_id), services: Services = Depends(get_services)
) -> dict[str, Any]:
    """The conversation's jobs in submission order, with where each job's media sits on its timeline."""
    with services.db.session() as session:
        conversation = queries.own_conversation(session, app_id, conversationId)
        jobs = conversation_jobs(session, conversation.id)
        spans = media_spans(services.media, jobs)
        return {"jobs": [job_json(job, spans.get(job.id)) for job in jobs]}


@router.get("/conversations/{conversationId}/media/{jobId}", response_class=FileResponse)
async def get_media(
    conversationId: str,
    jobId: str,
    app_id: str = Depends(media_app_id),
    services: Services = Depends(get_services),
) -> FileResponse:
    """The job's media file; `Range` requests are answered with 206 so players can seek."""

    def locate() -> FileResponse:
        with services.db.session() as session:
            conversation = queries.own_conversation(session, app_id, conversationId)
            job = next((j for j in conversation_jobs(session, conversation.id) if j.id == jobId), None)
            if job is None:
                raise JobNotFound()
            path, mime = media_file(services.media, job)
        return FileResponse(path, media_type=mime, headers={"Cache-Control": "private, max-age=3600"})

    return await run_in_threadpool(locate)


@router.get("/search")
def search(
    request: Request, app_id: str = Depends(current_app_id), services: Services = Depends(get_services)
) -> dict[str, Any]:
    """Conversations whose name or spoken words contain every word of `q`, newest first."""
    query = request.query_params
    limit = to_int("limit", query.get("limit", 20), 1, 100)
    offset = to_int("offset", query.get("offset", 0), 0, 2**31)
    with services.db.session() as session:
        hits, total = search_conversations(session, app_id, query.get("q", ""), limit=limit, offset=offset)
        members = queries.members_by_conversation(session, [hit.conversation.id for hit in hits])
        return {
            "conversations": [
                {**conversation_json(hit.conversation, members[hit.conversation.id]), "snippet": hit.snippet}
                for hit in hits
            ],
            "total": total,
        }
