"""Base classes of the wire shapes (Symbl's field names)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Wire(BaseModel):
    model_config = ConfigDict(populate_by_name=True, extra="allow")


class Exact(BaseModel):
    model_config = ConfigDict(populate_by_name=True, extra="forbid")


class MessageResponse(Wire):
    message: str
