"""The verified claims of access tokens, remembered per process so a client polling with the same
token pays for its signature check once.

Only what a signature check proves is remembered: it gives the same answer for the same token and
key every time. What can change is checked on every request anyway: expiry here (`usable_at`),
revocation in the database (`TokenService.authenticate`), so no process can accept a revoked token
another one refused, nor an expired one. Only tokens that verified are kept: without the signing key
nobody can fill the cache, and it holds at most `max_entries`, dropping the least recently used.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass

DEFAULT_MAX_ENTRIES = 10_000


@dataclass(frozen=True)
class AccessClaims:
    app_id: str  # `sub`
    token_id: str  # `jti`
    token_hash: str  # what the database stores of the token
    expires_at: int  # `exp`, seconds since the epoch

    def usable_at(self, now: float) -> bool:
        """PyJWT's rule with no leeway: a token is expired from its `exp` second on."""
        return now < self.expires_at


class ClaimsCache:
    """Token -> its verified `AccessClaims`, least recently used dropped beyond `max_entries`."""

    def __init__(self, max_entries: int = DEFAULT_MAX_ENTRIES) -> None:
        self.max_entries = max_entries
        self._entries: OrderedDict[str, AccessClaims] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, token: str) -> AccessClaims | None:
        with self._lock:
            claims = self._entries.get(token)
            if claims is not None:
                self._entries.move_to_end(token)
            return claims

    def put(self, token: str, claims: AccessClaims) -> None:
        with self._lock:
            self._entries[token] = claims
            self._entries.move_to_end(token)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def forget(self, token: str) -> None:
        with self._lock:
            self._entries.pop(token, None)
