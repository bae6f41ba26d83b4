"""The Async API for audio and video (§3.1-3.3): raw-body uploads and URL submits, new or appended."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, Literal

import structlog
from fastapi import APIRouter, Depends, Request
from starlette.concurrency import run_in_threadpool

from convoscope.api.deps import current_app_id, get_services
from convoscope.api.params import merged_params, query_params, read_json_object
from convoscope.api.schemas.submit import SubmitResponse, UrlRequest
from convoscope.conversations.queries import own_conversation
from convoscope.conversations.submit import Submission, submit_job
from convoscope.errors import BadRequest, PayloadTooLarge
from convoscope.jobs.media_request import check_media_url, media_request
from convoscope.options import JobOptions, parse_job_options
from convoscope.pipeline import decode
from convoscope.services import Services

log = structlog.get_logger(__name__)
router = APIRouter(tags=["async"])

Kind = Literal["audio", "video"]
_RAW_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/octet-stream": {"schema": {"type": "string", "format": "binary"}},
            "audio/*": {"schema": {"type": "string", "format": "binary"}},
            "video/*": {"schema": {"type": "string", "format": "binary"}},
        },
    }
}
_URL_BODY = {"requestBody": {"content": {"application/json": {"schema": UrlRequest.model_json_schema()}}}}
# Content types that say nothing about the format: the bytes decide.
_UNTYPED = {"", "application/octet-stream", "binary/octet-stream", "application/x-www-form-urlencoded"}


async def _upload(
    request: Request, app_id: str, services: Services, kind: Kind, conversation_id: str | None
) -> dict[str, str]:
    options = parse_job_options(query_params(request))
    media_request(options)  # validates language and recognition options before reading the body
    _check_content_type(request.headers.get("content-type", ""))
    if conversation_id is not None:  # an unknown (or another app's) conversation: 404 before any upload
        await run_in_threadpool(_check_owner, services, app_id, conversation_id)
    settings = services.settings
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > settings.max_media_bytes:
        raise PayloadTooLarge(f"Media is larger than the limit of {settings.max_media_bytes} bytes.")
    key = await services.media.save_stream(request.stream(), settings.max_media_bytes)
    try:
        await run_in_threadpool(_probe, services, key)
        submission = await run_in_threadpool(
            _store, services, app_id, kind, options, conversation_id, key, None
        )
    except BaseException:
        services.media.delete(key)
        raise
    services.queue.try_enqueue(submission.job_id)  # stored already: a lost message is re-queued
    return {"conversationId": submission.conversation_id, "jobId": submission.job_id}


async def _submit_url(
    request: Request, app_id: str, services: Services, kind: Kind, conversation_id: str | None
) -> dict[str, str]:
    body = await read_json_object(request, services.settings.max_body_bytes)
    params = merged_params(request, body)
    options = parse_job_options(params)
    media_request(options)
    url = check_media_url(params.get("url"))
    submission = await run_in_threadpool(_store, services, app_id, kind, options, conversation_id, None, url)
    services.queue.try_enqueue(submission.job_id)  # stored already: a lost message is re-queued
    return {"conversationId": submission.conversation_id, "jobId": submission.job_id}


Handler = Callable[[Request, str, Services, Kind, str | None], Awaitable[dict[str, str]]]


def _new_route(handler: Handler, kind: Kind) -> Callable[..., Awaitable[dict[str, str]]]:
    async def route(
        request: Request, app_id: str = Depends(current_app_id), services: Services = Depends(get_services)
    ) -> dict[str, str]:
        return await handler(request, app_id, services, kind, None)

    return route


def _append_route(handler: Handler, kind: Kind) -> Callable[..., Awaitable[dict[str, str]]]:
    async def route(
        conversationId: str,
        request: Request,
        app_id: str = Depends(current_app_id),
        services: Services = Depends(get_services),
    ) -> dict[str, str]:
        return await handler(request, app_id, services, kind, conversationId)

    return route


def _check_content_type(header: str) -> None:
    content_type = header.split(";")[0].strip().lower()
    if content_type in _UNTYPED or content_type.startswith(("audio/", "video/")):
        return
    raise BadRequest(
        f"Unsupported Content-Type {content_type!r}: send audio/* or video/* (or no Content-Type) "
        "with the raw media bytes as the body."
    )


def _check_owner(services: Services, app_id: str, conversation_id: str) -> None:
    with services.db.session() as session:
        own_conversation(session, app_id, conversation_id)


def _probe(services: Services, key: str) -> None:
    """Refuse at once what is cheap to know is not usable media; deeper problems fail the job."""
    try:
        decode.probe(services.media.path(key), max_duration=services.settings.max_media_seconds)
    except decode.MediaError as exc:
        raise BadRequest(str(exc)) from None


def _store(
    services: Services,
    app_id: str,
    kind: Kind,
    options: JobOptions,
    conversation_id: str | None,
    media_key: str | None,
    url: str | None,
) -> Submission:
    with services.db.session() as session:
        return submit_job(
            session,
            app_id=app_id,
            kind=kind,
            options=options,
            request={"options": media_request(options), "url": url},
            max_concurrent_jobs=services.settings.max_concurrent_jobs,
            conversation_id=conversation_id,
            media_path=media_key,
        )


def _register(kind: Kind) -> None:
    for path, handler, body in (
        (f"/v1/process/{kind}", _upload, _RAW_BODY),
        (f"/v1/process/{kind}/url", _submit_url, _URL_BODY),
    ):
        common: dict[str, Any] = {"status_code": 201, "response_model": SubmitResponse, "openapi_extra": body}
        router.post(path, **common)(_new_route(handler, kind))
        router.put(path + "/{conversationId}", **common)(_append_route(handler, kind))


_register("audio")
_register("video")
