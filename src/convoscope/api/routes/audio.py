"""OpenAI's speech-to-text API (https://platform.openai.com/docs/api-reference/audio): transcriptions
and translations, so the official `openai` client and every tool built on it work unchanged.

A request is answered when its result is ready, but it runs as a job through the same queue and
workers as every job (`conversations/transcriptions`). Errors come in OpenAI's shape (`openai_errors`).
"""

from __future__ import annotations

import time
from typing import Any

import anyio
from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool

from convoscope.api.deps import AppId, ServicesDep
from convoscope.api.schemas.audio import Task, speech_params
from convoscope.api.speech_form import FILE_FIELD, read_speech_form
from convoscope.api.wire.audio import speech_response
from convoscope.conversations import transcriptions
from convoscope.conversations.job_requests import MAX_NAME_LENGTH
from convoscope.conversations.transcription_requests import TranscriptionRequest, symbl_language_code
from convoscope.errors import ConvoscopeError, InvalidParameter, ResultTimeout
from convoscope.pipeline import decode, isolated
from convoscope.pipeline.transcription_result import TranscriptionResult
from convoscope.services import Services

router = APIRouter(prefix="/v1/audio", tags=["openai"])

_FORM = {"schema": {"type": "object", "required": ["file", "model"], "properties": {
    "file": {"type": "string", "format": "binary"},
    "model": {"type": "string", "example": "whisper-1"},
    "language": {"type": "string", "example": "en"},
    "prompt": {"type": "string"},
    "response_format": {"type": "string", "enum": ["json", "text", "srt", "verbose_json", "vtt"]},
    "temperature": {"type": "number", "minimum": 0, "maximum": 1},
    "timestamp_granularities[]": {"type": "array", "items": {"type": "string", "enum": ["word", "segment"]}},
}}}  # fmt: skip
_FORM_BODY: dict[str, Any] = {"requestBody": {"required": True, "content": {"multipart/form-data": _FORM}}}
_POLL_FIRST, _POLL_MAX = 0.05, 0.5  # seconds between looks at the job, growing to the most


@router.post("/transcriptions", openapi_extra=_FORM_BODY)
async def create_transcription(request: Request, app_id: AppId, services: ServicesDep) -> Response:
    """Transcribe audio into the language spoken in it."""
    return await _answer(request, app_id, services, "transcribe")


@router.post("/translations", openapi_extra=_FORM_BODY)
async def create_translation(request: Request, app_id: AppId, services: ServicesDep) -> Response:
    """Translate audio into English (needs a multilingual speech model)."""
    return await _answer(request, app_id, services, "translate")


async def _answer(request: Request, app_id: str, services: Services, task: Task) -> Response:
    settings = services.settings
    form = await read_speech_form(request, services.media, settings.openai.max_bytes)
    key = form.file_key or ""
    try:
        params = speech_params(form, settings, task)
        await run_in_threadpool(_probe, services, key)
        speech = TranscriptionRequest(
            name=form.filename[:MAX_NAME_LENGTH] or None,  # names a kept conversation
            languageCode=symbl_language_code(params.language),
            task=task,
            model=params.model,
            language=params.language,
            prompt=params.prompt,
            temperature=params.temperature,
            keep=settings.openai.keep,
        )
        submission = await run_in_threadpool(
            transcriptions.submit_transcription, services, app_id=app_id, request=speech, media_key=key
        )
    except BaseException:
        services.media.delete(key)
        raise
    try:
        result = await _wait(services, submission.job_id)
    except ResultTimeout as exc:
        if settings.openai.keep:  # the job goes on: say where its result will be
            raise ResultTimeout(
                f"{exc.message} Conversation {submission.conversation_id} will have it."
            ) from None
        raise
    finally:
        if not settings.openai.keep:
            with anyio.CancelScope(shield=True):  # a client that hung up still leaves nothing behind
                await run_in_threadpool(transcriptions.discard, services, submission.conversation_id)
    return speech_response(result, params, task)


def _probe(services: Services, key: str) -> None:
    """Refuse what is not usable audio, or too long, before it is queued."""
    try:
        isolated.probe(
            services.media.path(key),
            max_duration=services.settings.openai.max_seconds,
            max_channels=services.settings.limits.media_channels,
        )
    except decode.MediaTooLongError as exc:
        raise InvalidParameter(
            f"The audio is too long: {exc}.", param=FILE_FIELD, code="audio_too_long"
        ) from None
    except decode.MediaError as exc:
        raise InvalidParameter(
            f"Invalid file format: {exc}. Send audio or video FFmpeg can read "
            "(flac, m4a, mp3, mp4, mpeg, mpga, oga, ogg, wav, webm and more).",
            param=FILE_FIELD,
            code="invalid_file_format",
        ) from None


async def _wait(services: Services, job_id: str) -> TranscriptionResult:
    """The job's result once a worker has stored it; its failure as an error."""
    openai = services.settings.openai
    deadline = time.monotonic() + openai.wait_seconds
    delay = _POLL_FIRST
    while True:
        outcome = await run_in_threadpool(transcriptions.outcome, services.db, job_id, kept=openai.keep)
        if outcome is not None:
            break
        if time.monotonic() > deadline:
            raise ResultTimeout(
                f"The transcription was not ready after {openai.wait_seconds:g} seconds "
                "(CONVOSCOPE_OPENAI_WAIT_SECONDS); the server is busy or the audio is long."
            )
        await anyio.sleep(delay)
        delay = min(_POLL_MAX, delay * 1.5)
    if outcome.completed and outcome.result:
        return TranscriptionResult.from_json(outcome.result)
    raise _failure(outcome.message or "The transcription failed.", outcome.error_code)


def _failure(message: str, code: str | None) -> ConvoscopeError:
    if code in ("invalid_media", "invalid_input"):
        return InvalidParameter(message, param=FILE_FIELD, code=code)
    if code == "unsupported_language":
        return InvalidParameter(message, param="language", code=code)
    return ConvoscopeError(message)
