"""Base classes of the wire shapes (Symbl's field names)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict


class Wire(BaseModel):
    """An answer. Routes that leave a field out of the JSON (rather than send null) build these with
    only the fields to send, and declare `response_model_exclude_unset=True`."""

    model_config = ConfigDict(populate_by_name=True, extra="allow")


class Exact(BaseModel):
    model_config = ConfigDict(populate_by_name=True, extra="forbid")


class MessageResponse(Wire):
    message: str


def present(**fields: Any) -> dict[str, Any]:
    """The fields that have a value: pass them on to leave the others unset (and out of the JSON)."""
    return {name: value for name, value in fields.items() if value}
