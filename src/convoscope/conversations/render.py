"""Render stored rows as Symbl's JSON shapes (§5)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from convoscope.tables import Conversation, Member, Message
from convoscope.timeutil import as_utc, parse_iso, to_iso


def member_json(member: Member) -> dict[str, Any]:
    body: dict[str, Any] = {"id": member.id, "name": member.name}
    if member.email:
        body["email"] = member.email
    return body


def sender_json(member: Member | None, *, user_id_field: bool = False) -> dict[str, Any]:
    """A message's `from` is `{id, name, email}`; an insight's is `{id, name, userId}`."""
    if member is None:
        return {}
    body: dict[str, Any] = {"id": member.id, "name": member.name}
    contact = member.email or member.user_id
    if contact:
        body["userId" if user_id_field else "email"] = contact
    return body


def conversation_json(conversation: Conversation, members: list[Member]) -> dict[str, Any]:
    return {
        "id": conversation.id,
        "type": conversation.type,
        "name": conversation.name,
        "startTime": to_iso(conversation.start_time),
        "endTime": to_iso(conversation.end_time),
        "members": [member_json(m) for m in members],
        "metadata": conversation.meta or {},
    }


def first_start(messages: list[Message]) -> datetime | None:
    starts = [as_utc(m.start_time) for m in messages if m.start_time]
    return min(starts) if starts else None


def message_json(
    message: Message,
    member: Member | None,
    *,
    origin: datetime | None,
    verbose: bool,
    sentiment: dict[str, Any] | None,
    phrases: list[dict[str, Any]],
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": message.id,
        "text": message.text,
        "from": sender_json(member),
        "startTime": to_iso(message.start_time),
        "endTime": to_iso(message.end_time),
        "timeOffset": _seconds_between(origin, message.start_time),
        "duration": _seconds_between(message.start_time, message.end_time),
        "conversationId": message.conversation_id,
        "phrases": phrases,
    }
    if sentiment is not None:
        body["sentiment"] = sentiment
    if verbose:
        body["words"] = [_word_json(word, origin) for word in message.words or []]
    return body


def _word_json(word: dict[str, Any], origin: datetime | None) -> dict[str, Any]:
    """Stored words hold `word`, `startTime`/`endTime` (ISO) and `score`; offsets are derived here."""
    start_at = parse_iso(word["startTime"]) if word.get("startTime") else None
    end_at = parse_iso(word["endTime"]) if word.get("endTime") else None
    body: dict[str, Any] = {"word": word["word"], "startTime": to_iso(start_at), "endTime": to_iso(end_at)}
    if word.get("score") is not None:
        body["score"] = round(float(word["score"]), 4)
    body["timeOffset"] = _seconds_between(origin, start_at)
    body["duration"] = _seconds_between(start_at, end_at)
    return body


def _seconds_between(earlier: datetime | None, later: datetime | None) -> float | None:
    if earlier is None or later is None:
        return None
    return round((as_utc(later) - as_utc(earlier)).total_seconds(), 2)
