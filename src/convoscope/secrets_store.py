"""Hashing of app secrets and the server's token-signing key."""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from functools import cache
from pathlib import Path

from convoscope.config import Settings

_SCRYPT_N, _SCRYPT_R, _SCRYPT_P = 2**14, 8, 1


def hash_secret(secret: str) -> str:
    """A salted scrypt hash; the secret itself is never stored."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(secret.encode(), salt=salt, n=_SCRYPT_N, r=_SCRYPT_R, p=_SCRYPT_P)
    return f"scrypt${_SCRYPT_N}${_SCRYPT_R}${_SCRYPT_P}${salt.hex()}${digest.hex()}"


def verify_secret(secret: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt_hex, digest_hex = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    digest = hashlib.scrypt(secret.encode(), salt=bytes.fromhex(salt_hex), n=int(n), r=int(r), p=int(p))
    return hmac.compare_digest(digest.hex(), digest_hex)


@cache
def _stand_in_hash() -> str:
    return hash_secret(secrets.token_urlsafe(32))


def verify_app_secret(secret: str, stored: str | None) -> bool:
    """`verify_secret`, with the same work done when there is no stored hash (an unknown app), so the
    answer's timing does not tell which app ids exist."""
    if stored is None:
        verify_secret(secret, _stand_in_hash())
        return False
    return verify_secret(secret, stored)


def load_or_create_signing_key(path: Path) -> str:
    """The token-signing key kept in the data dir, created on first use (readable by the owner only)."""
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


def server_signing_key(settings: Settings) -> str:
    """The key that signs tokens and derives webhook secrets: configured, or kept in the data dir."""
    if settings.tokens.secret:
        return settings.tokens.secret.get_secret_value()
    return load_or_create_signing_key(settings.data_dir / "token_secret")
