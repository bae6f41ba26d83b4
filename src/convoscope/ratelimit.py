"""In-process sliding-window rate limits (per app, per client address).

Each API process keeps its own counters: with N API nodes an app gets at most N times the limit.
That bounds abuse without a shared store on the hot path; the per-app job limit (429 on submits),
which must hold exactly, is enforced in the database instead.
"""

from __future__ import annotations

import threading
import time
from collections import deque


class SlidingWindow:
    """At most `limit` events per `window` seconds for each key."""

    def __init__(self, limit: int, window: float) -> None:
        self.limit = limit
        self.window = window
        self._events: dict[str, deque[float]] = {}
        self._lock = threading.Lock()
        self._clock = time.monotonic

    def _prune(self, key: str, now: float) -> deque[float]:
        events = self._events.setdefault(key, deque())
        while events and events[0] <= now - self.window:
            events.popleft()
        if not events:
            self._events.pop(key, None)
            events = self._events.setdefault(key, deque())
        return events

    def allowed(self, key: str) -> bool:
        """Whether one more event for `key` is within the limit (does not record it)."""
        with self._lock:
            return len(self._prune(key, self._clock())) < self.limit

    def hit(self, key: str) -> bool:
        """Record an event; False when it is over the limit (then it is not recorded)."""
        with self._lock:
            events = self._prune(key, self._clock())
            if len(events) >= self.limit:
                return False
            events.append(self._clock())
            return True

    def retry_after(self, key: str) -> int:
        with self._lock:
            events = self._prune(key, self._clock())
            if len(events) < self.limit:
                return 0
            return max(1, int(events[0] + self.window - self._clock()) + 1)
