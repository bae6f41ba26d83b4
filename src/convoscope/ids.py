"""Identifiers in the shapes Symbl clients expect."""

from __future__ import annotations

import secrets
import uuid


def digit_id() -> str:
    """A 16-digit opaque id (conversation, message and insight ids are digit strings in Symbl)."""
    return str(10**15 + secrets.randbelow(9 * 10**15))


def uuid_id() -> str:
    """A UUID string (job and member ids)."""
    return str(uuid.uuid4())
