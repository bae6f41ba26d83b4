"""The Async API for text (§3): submit or append, answer 201 with the ids, enqueue after commit."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from starlette.concurrency import run_in_threadpool

from convoscope.api.deps import current_app_id, get_services
from convoscope.api.params import merged_params, read_json_object
from convoscope.api.schemas.submit import SubmitResponse, TextRequest
from convoscope.conversations.submit import Submission, submit_job
from convoscope.conversations.text_input import parse_text_messages
from convoscope.options import parse_job_options
from convoscope.services import Services

router = APIRouter(tags=["async"])

_TEXT_BODY = {"requestBody": {"content": {"application/json": {"schema": TextRequest.model_json_schema()}}}}


@router.post("/v1/process/text", status_code=201, response_model=SubmitResponse, openapi_extra=_TEXT_BODY)
async def submit_text(
    request: Request, app_id: str = Depends(current_app_id), services: Services = Depends(get_services)
) -> dict[str, str]:
    return await _submit_text(request, app_id, services, conversation_id=None)


@router.put(
    "/v1/process/text/{conversationId}",
    status_code=201,
    response_model=SubmitResponse,
    openapi_extra=_TEXT_BODY,
)
async def append_text(
    conversationId: str,
    request: Request,
    app_id: str = Depends(current_app_id),
    services: Services = Depends(get_services),
) -> dict[str, str]:
    return await _submit_text(request, app_id, services, conversation_id=conversationId)


async def _submit_text(
    request: Request, app_id: str, services: Services, conversation_id: str | None
) -> dict[str, str]:
    settings = services.settings
    body = await read_json_object(request, settings.max_body_bytes)
    params = merged_params(request, body)
    options = parse_job_options(params)
    messages = parse_text_messages(
        params.get("messages"), settings.max_messages_per_request, settings.max_message_chars
    )
    job_request: dict[str, Any] = {"messages": messages}

    def store() -> Submission:
        with services.db.session() as session:
            return submit_job(
                session,
                app_id=app_id,
                kind="text",
                options=options,
                request=job_request,
                max_concurrent_jobs=settings.max_concurrent_jobs,
                conversation_id=conversation_id,
            )

    submission = await run_in_threadpool(store)
    services.queue.try_enqueue(submission.job_id)  # stored already: a lost message is re-queued
    return {"conversationId": submission.conversation_id, "jobId": submission.job_id}
