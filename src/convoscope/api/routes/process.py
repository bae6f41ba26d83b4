"""The Async API for text: submit or append, answer 201 with the ids, enqueue after commit
(https://docs.symbl.ai/docs/async-api/overview/text/post-text)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter

from convoscope.api.deps import AppId, ServicesDep
from convoscope.api.openapi import request_body
from convoscope.api.params import submit_params
from convoscope.api.schemas.submit import SubmitResponse
from convoscope.conversations.job_requests import TextSubmit
from convoscope.conversations.submit import submit

router = APIRouter(tags=["async"])

TextParams = Annotated[TextSubmit, submit_params(TextSubmit)]
_DOC: dict[str, Any] = {
    "status_code": 201,
    "response_model": SubmitResponse,
    "openapi_extra": request_body(TextSubmit),
}


@router.post("/v1/process/text", **_DOC)
def submit_text(request: TextParams, app_id: AppId, services: ServicesDep) -> SubmitResponse:
    return SubmitResponse.of(submit(services, app_id=app_id, kind="text", request=request))


@router.put("/v1/process/text/{conversationId}", **_DOC)
def append_text(
    conversationId: str, request: TextParams, app_id: AppId, services: ServicesDep
) -> SubmitResponse:
    submission = submit(services, app_id=app_id, kind="text", request=request, conversation_id=conversationId)
    return SubmitResponse.of(submission)
