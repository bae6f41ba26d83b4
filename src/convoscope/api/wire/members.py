"""A member as the person behind a message or an insight, in Symbl's JSON shape."""

from __future__ import annotations

from typing import Any

from convoscope.tables import Member


def sender_json(member: Member | None, *, user_id_field: bool = False) -> dict[str, Any]:
    """A message's `from` is `{id, name, email}`; an insight's is `{id, name, userId}`."""
    if member is None:
        return {}
    body: dict[str, Any] = {"id": member.id, "name": member.name}
    contact = member.email or member.user_id
    if contact:
        body["userId" if user_id_field else "email"] = contact
    return body
