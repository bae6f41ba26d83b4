"""Validation of the Text API `messages` array (§3.4) into a compact form stored with the job."""

from __future__ import annotations

from typing import Any

from convoscope.errors import BadRequest
from convoscope.timeutil import parse_iso, to_iso


def parse_text_messages(value: Any, max_messages: int, max_chars: int) -> list[dict[str, Any]]:
    """Check every message and return `[{content, from, start, end}]` (times as ISO strings or None)."""
    if value is None:
        raise BadRequest('"messages" is required')
    if not isinstance(value, list):
        raise BadRequest('"messages" must be an array')
    if not value:
        raise BadRequest('"messages" must contain at least 1 item')
    if len(value) > max_messages:
        raise BadRequest(f'"messages" must contain at most {max_messages} items')
    return [_parse_message(index, item, max_chars) for index, item in enumerate(value)]


def _parse_message(index: int, item: Any, max_chars: int) -> dict[str, Any]:
    where = f"messages[{index}]"
    if not isinstance(item, dict):
        raise BadRequest(f'"{where}" must be an object')
    payload = item.get("payload")
    if not isinstance(payload, dict):
        raise BadRequest(f'"{where}.payload" is required')
    content = payload.get("content")
    if not isinstance(content, str):
        raise BadRequest(f'"{where}.payload.content" must be a string')
    if not content.strip():
        raise BadRequest(f'"{where}.payload.content" is not allowed to be empty')
    if len(content) > max_chars:
        raise BadRequest(f'"{where}.payload.content" must be at most {max_chars} characters long')
    start, end = _parse_duration(where, item.get("duration"))
    return {"content": content, "from": _parse_from(where, item.get("from")), "start": start, "end": end}


def _parse_from(where: str, value: Any) -> dict[str, str] | None:
    if value is None or value == {}:
        return None
    if not isinstance(value, dict):
        raise BadRequest(f'"{where}.from" must be an object')
    speaker: dict[str, str] = {}
    for key in ("name", "userId", "email"):
        field = value.get(key)
        if field is None:
            continue
        if not isinstance(field, str):
            raise BadRequest(f'"{where}.from.{key}" must be a string')
        if len(field) > 320:
            raise BadRequest(f'"{where}.from.{key}" must be at most 320 characters long')
        if field.strip():
            speaker[key] = field.strip()
    return speaker or None


def _parse_duration(where: str, value: Any) -> tuple[str | None, str | None]:
    if value is None:
        return None, None
    if not isinstance(value, dict):
        raise BadRequest(f'"{where}.duration" must be an object')
    times: list[str | None] = []
    for key in ("startTime", "endTime"):
        raw = value.get(key)
        if raw is None:
            times.append(None)
            continue
        if not isinstance(raw, str):
            raise BadRequest(f'"{where}.duration.{key}" must be an ISO-8601 date string')
        try:
            times.append(to_iso(parse_iso(raw)))
        except ValueError:
            raise BadRequest(f'"{where}.duration.{key}" must be an ISO-8601 date string') from None
    start, end = times
    if start and end and end < start:
        raise BadRequest(f'"{where}.duration.endTime" must not be before startTime')
    return start, end
