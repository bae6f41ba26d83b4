"""Request parameters as clients send them: query and JSON body merged, read into request models.

Routes take them as dependencies: `json_body(Model)` for a JSON body (refused over `max_body_bytes`),
`submit_params(Model)` for a submit (the query string overlaid by the body, the body winning).
Both authenticate the caller first, so a request without a valid token is a 401 whatever its body.
"""

from __future__ import annotations

import json
from typing import Any, TypeVar

from fastapi import Depends, Request
from pydantic import BaseModel

from convoscope.api.deps import AppId, ServicesDep
from convoscope.conversations import json_text
from convoscope.conversations.lenient import parse
from convoscope.errors import BadRequest, PayloadTooLarge

M = TypeVar("M", bound=BaseModel)


def query_params(request: Request) -> dict[str, Any]:
    """Query parameters, one value per key.

    A key repeated with one character per value is the Python SDK sending a JSON string character by
    character (`customVocabulary=[&customVocabulary="&...`): the characters are joined back. Any
    other repeated key becomes a list.
    """
    grouped: dict[str, list[str]] = {}
    for key, value in request.query_params.multi_items():
        grouped.setdefault(key, []).append(value)
    merged: dict[str, Any] = {}
    for key, values in grouped.items():
        if len(values) == 1:
            merged[key] = values[0]
        elif all(len(value) <= 1 for value in values):
            merged[key] = "".join(values)
        else:
            merged[key] = values
    return merged


async def read_json_object(request: Request, max_bytes: int, required: bool = True) -> dict[str, Any]:
    """The JSON object body, refusing more than `max_bytes` (413) and anything but an object (400)."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > max_bytes:
        raise PayloadTooLarge(f"Request body is larger than the limit of {max_bytes} bytes.")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > max_bytes:
            raise PayloadTooLarge(f"Request body is larger than the limit of {max_bytes} bytes.")
        chunks.append(chunk)
    raw = b"".join(chunks)
    if not raw.strip():
        if required:
            raise BadRequest("Request body must be a JSON object.")
        return {}
    try:
        body = json_text.loads(raw)
    except json_text.JsonTooDeep as exc:
        raise BadRequest(f"Request body is not accepted: {exc}") from None
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise BadRequest("Request body is not valid JSON.") from None
    if not isinstance(body, dict):
        raise BadRequest("Request body must be a JSON object.")
    return body


def json_body(model: type[M], *, required: bool = True) -> Any:
    """A dependency: the caller's JSON body read as `model` (the caller authenticated first)."""

    async def read(request: Request, _app_id: AppId, services: ServicesDep) -> M:
        body = await read_json_object(request, services.settings.limits.body_bytes, required=required)
        return parse(model, body)

    return Depends(read)


def credentials_body(model: type[M]) -> Any:
    """A dependency: the JSON body of a token request read as `model` (no token needed to send it)."""

    async def read(request: Request, services: ServicesDep) -> M:
        return parse(model, await read_json_object(request, services.settings.limits.body_bytes))

    return Depends(read)


def submit_params(model: type[M], *, body: bool = True) -> Any:
    """A dependency: a submit's parameters read as `model`, from the query string overlaid by the JSON
    body (or the query string alone when the body is the media)."""

    async def read(request: Request, _app_id: AppId, services: ServicesDep) -> M:
        settings = services.settings
        params = query_params(request)
        if body:  # the body wins over the query string
            params |= await read_json_object(request, settings.limits.body_bytes)
        limits = {
            "max_messages": settings.limits.messages_per_request,
            "max_chars": settings.limits.message_chars,
        }
        return parse(model, params, **limits)

    return Depends(read)


def flag(request: Request, name: str) -> bool:
    return request.query_params.get(name, "").strip().lower() in ("true", "1", "yes")
