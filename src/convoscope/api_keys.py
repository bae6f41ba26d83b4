"""Long-lived API keys: what scripts, cron jobs and OpenAI clients use instead of expiring tokens.

A key is `cvs_` and 43 random URL-safe characters (256 bits). Only its SHA-256 is stored: a key is
high-entropy, so a fast hash is as safe as a slow one and lets every request find its key by an
index lookup. The key itself is shown once, when it is created; it is named afterwards by its id
(`key_...`) and its first characters (`hint`).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from convoscope.errors import NotFound, Unauthorized
from convoscope.tables import ApiKey, App
from convoscope.timeutil import as_utc, utcnow

KEY_PREFIX = "cvs_"
_HINT_CHARS = len(KEY_PREFIX) + 6
# Writing `last_used_at` on every request would turn each read into a write; once a minute is enough.
_USE_RESOLUTION = timedelta(seconds=60)


@dataclass(frozen=True)
class NewKey:
    id: str
    key: str  # shown once: only its hash is stored


def looks_like_key(credential: str) -> bool:
    """Is this an API key (rather than an access token)?"""
    return credential.startswith(KEY_PREFIX)


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def create_key(session: Session, app_id: str, name: str = "", expires_at: datetime | None = None) -> NewKey:
    """A new key of the app (404 for an unknown app)."""
    if session.get(App, app_id) is None:
        raise NotFound(f"No app with appId {app_id!r}.")
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    row = ApiKey(
        id=f"key_{secrets.token_hex(8)}",
        app_id=app_id,
        name=name,
        key_hash=_digest(key),
        hint=key[:_HINT_CHARS],
        expires_at=expires_at,
    )
    session.add(row)
    session.flush()
    return NewKey(id=row.id, key=key)


def list_keys(session: Session, app_id: str) -> list[ApiKey]:
    """The app's keys, revoked and expired ones included, oldest first."""
    return list(
        session.scalars(select(ApiKey).where(ApiKey.app_id == app_id).order_by(ApiKey.created_at)).all()
    )


def revoke_key(session: Session, key_id: str) -> ApiKey:
    """Revoke a key at once (404 for an unknown id); revoking it again changes nothing."""
    row = session.get(ApiKey, key_id)
    if row is None:
        raise NotFound(f"No API key with id {key_id!r}.")
    if row.revoked_at is None:
        row.revoked_at = utcnow()
    return row


def key_state(row: ApiKey, now: datetime | None = None) -> str:
    """`active`, `revoked` or `expired`."""
    now = now or utcnow()
    if row.revoked_at is not None:
        return "revoked"
    if row.expires_at is not None and as_utc(row.expires_at) <= now:
        return "expired"
    return "active"


def authenticate(session: Session, key: str) -> str:
    """The app id a key belongs to; Unauthorized for an unknown, revoked or expired key."""
    # Joined with its app: a key of a deleted app is refused even where the database left it behind.
    row = session.scalars(
        select(ApiKey).join(App, App.id == ApiKey.app_id).where(ApiKey.key_hash == _digest(key))
    ).first()
    now = utcnow()
    if row is None or key_state(row, now) != "active":
        raise Unauthorized("Invalid API key: it is unknown, revoked or expired.")
    if row.last_used_at is None or now - as_utc(row.last_used_at) > _USE_RESOLUTION:
        row.last_used_at = now
    return row.app_id
