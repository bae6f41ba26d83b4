"""Short-lived signed media URLs: what an `<audio src>` uses instead of a token in the query string.

A link names one job's media of one conversation and carries its expiry and an HMAC (the server's
signing key) over the app, the conversation, the job and the expiry. It grants nothing else and
stops working when it expires; access tokens and API keys never appear in URLs.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass
from urllib.parse import quote


@dataclass(frozen=True)
class MediaLink:
    url: str
    expires_at: int  # Unix seconds


def _signature(key: str, app_id: str, conversation_id: str, job_id: str, expires_at: int) -> str:
    message = "\n".join(("media", app_id, conversation_id, job_id, str(expires_at))).encode()
    digest = hmac.new(key.encode(), message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def media_path(conversation_id: str, job_id: str) -> str:
    return f"/v1/conversations/{quote(conversation_id, safe='')}/media/{quote(job_id, safe='')}"


def sign(key: str, app_id: str, conversation_id: str, job_id: str, now: float, lifetime: int) -> MediaLink:
    expires_at = int(now) + lifetime
    signature = _signature(key, app_id, conversation_id, job_id, expires_at)
    url = f"{media_path(conversation_id, job_id)}?expires={expires_at}&signature={signature}"
    return MediaLink(url=url, expires_at=expires_at)


def verify(
    key: str, app_id: str, conversation_id: str, job_id: str, expires: str, signature: str, now: float
) -> bool:
    """Whether the link's signature is the server's for this app, conversation and job, and unexpired."""
    if not expires.isdigit() or len(expires) > 12 or int(expires) <= now:
        return False
    expected = _signature(key, app_id, conversation_id, job_id, int(expires))
    return hmac.compare_digest(expected.encode(), signature.encode())
