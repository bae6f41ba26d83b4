"""The Async API for audio and video: raw-body uploads and URL submits, new or appended
(https://docs.symbl.ai/docs/async-api/overview/audio/post-audio)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool

from convoscope.api.deps import AppId, ServicesDep, app_conversation
from convoscope.api.openapi import request_body
from convoscope.api.params import submit_params
from convoscope.api.schemas.submit import SubmitResponse
from convoscope.conversations.job_requests import MediaUpload, MediaUrlSubmit
from convoscope.conversations.quota import check_room
from convoscope.conversations.submit import submit
from convoscope.errors import BadRequest, PayloadTooLarge
from convoscope.pipeline import decode, isolated
from convoscope.services import Services

router = APIRouter(tags=["async"])

Kind = Literal["audio", "video"]
# An upload's options come in the query string: its body is the media.
UploadParams = Annotated[MediaUpload, submit_params(MediaUpload, body=False)]
UrlParams = Annotated[MediaUrlSubmit, submit_params(MediaUrlSubmit)]

_BINARY = {"schema": {"type": "string", "format": "binary"}}
_RAW_BODY = {
    "requestBody": {
        "required": True,
        "content": {"application/octet-stream": _BINARY, "audio/*": _BINARY, "video/*": _BINARY},
    }
}
# Content types that say nothing about the format: the bytes decide.
_UNTYPED = {"", "application/octet-stream", "binary/octet-stream", "application/x-www-form-urlencoded"}


async def _upload(
    request: Request,
    options: MediaUpload,
    app_id: str,
    services: Services,
    kind: Kind,
    conversation_id: str | None,
) -> SubmitResponse:
    _check_content_type(request.headers.get("content-type", ""))
    if conversation_id is not None:  # an unknown (or another app's) conversation: 404 before any upload
        await run_in_threadpool(app_conversation, services, app_id, conversation_id)
    settings = services.settings
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > settings.limits.media_bytes:
        raise PayloadTooLarge(f"Media is larger than the limit of {settings.limits.media_bytes} bytes.")
    if declared.isdigit():  # over the app's storage quota: 413 before the body is read
        await run_in_threadpool(check_room, services, app_id, int(declared))
    key = await services.media.save_stream(request.stream(), settings.limits.media_bytes)
    try:
        await run_in_threadpool(_probe, services, key, options.per_channel)
        submission = await run_in_threadpool(
            submit,
            services,
            app_id=app_id,
            kind=kind,
            request=options,
            conversation_id=conversation_id,
            media_path=key,
            media_bytes=services.media.path(key).stat().st_size,
        )
    except BaseException:
        services.media.delete(key)
        raise
    return SubmitResponse.of(submission)


def _check_content_type(header: str) -> None:
    content_type = header.split(";")[0].strip().lower()
    if content_type in _UNTYPED or content_type.startswith(("audio/", "video/")):
        return
    raise BadRequest(
        f"Unsupported Content-Type {content_type!r}: send audio/* or video/* (or no Content-Type) "
        "with the raw media bytes as the body."
    )


def _probe(services: Services, key: str, per_channel: bool) -> None:
    """Refuse at once what is cheap to know is not usable media; deeper problems fail the job.
    The headers are read in a child process: a file that crashes FFmpeg costs only that process."""
    limits = services.settings.limits
    try:
        info = isolated.probe(
            services.media.path(key), max_duration=limits.media_seconds, max_channels=limits.media_channels
        )
        decode.check_length(info, per_channel, limits.media_seconds)
    except decode.MediaError as exc:
        raise BadRequest(str(exc)) from None


def _register(kind: Kind) -> None:
    upload: dict[str, Any] = {
        "status_code": 201,
        "response_model": SubmitResponse,
        "openapi_extra": _RAW_BODY,
    }
    by_url: dict[str, Any] = {**upload, "openapi_extra": request_body(MediaUrlSubmit)}

    @router.post(f"/v1/process/{kind}", **upload)
    async def submit_media(
        options: UploadParams, request: Request, app_id: AppId, services: ServicesDep
    ) -> SubmitResponse:
        return await _upload(request, options, app_id, services, kind, None)

    @router.put(f"/v1/process/{kind}/{{conversationId}}", **upload)
    async def append_media(
        conversationId: str, options: UploadParams, request: Request, app_id: AppId, services: ServicesDep
    ) -> SubmitResponse:
        return await _upload(request, options, app_id, services, kind, conversationId)

    @router.post(f"/v1/process/{kind}/url", **by_url)
    def submit_media_url(options: UrlParams, app_id: AppId, services: ServicesDep) -> SubmitResponse:
        return SubmitResponse.of(submit(services, app_id=app_id, kind=kind, request=options))

    @router.put(f"/v1/process/{kind}/url/{{conversationId}}", **by_url)
    def append_media_url(
        conversationId: str, options: UrlParams, app_id: AppId, services: ServicesDep
    ) -> SubmitResponse:
        submission = submit(
            services, app_id=app_id, kind=kind, request=options, conversation_id=conversationId
        )
        return SubmitResponse.of(submission)


_register("audio")
_register("video")
