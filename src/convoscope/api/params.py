"""Lenient request parameters (§10): query and JSON body merged, every known client quirk tolerated."""

from __future__ import annotations

import json
from typing import Any

from fastapi import Request

from convoscope.errors import BadRequest, PayloadTooLarge


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
        body = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise BadRequest("Request body is not valid JSON.") from None
    if not isinstance(body, dict):
        raise BadRequest("Request body must be a JSON object.")
    return body


def merged_params(request: Request, body: dict[str, Any]) -> dict[str, Any]:
    """Query parameters overlaid by the body (the body wins), `customEntities` read as `entities`."""
    merged = {**query_params(request), **body}
    if "entities" not in merged and "customEntities" in merged:
        merged["entities"] = merged["customEntities"]
    return merged


def flag(request: Request, name: str) -> bool:
    return request.query_params.get(name, "").strip().lower() in ("true", "1", "yes")
