"""In-process sliding-window rate limits (per app, per client address).

Each API process keeps its own counters: with N API nodes an app gets at most N times the limit.
That bounds abuse without a shared store on the hot path; the per-app job limit (429 on submits),
which must hold exactly, is enforced in the database instead.

A window keeps at most `max_keys` keys, dropping the least recently used one first: keys come from
unauthenticated requests (app ids, addresses), so without a cap anyone could grow the process.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict, deque

DEFAULT_MAX_KEYS = 100_000


class SlidingWindow:
    """At most `limit` events per `window` seconds for each key, for at most `max_keys` keys."""

    def __init__(self, limit: int, window: float, max_keys: int = DEFAULT_MAX_KEYS) -> None:
        self.limit = limit
        self.window = window
        self.max_keys = max_keys
        self._events: OrderedDict[str, deque[float]] = OrderedDict()
        self._lock = threading.Lock()
        self._clock = time.monotonic

    def __len__(self) -> int:
        return len(self._events)

    def _pruned(self, key: str, now: float) -> deque[float] | None:
        """The key's events still inside the window; None (and the key forgotten) when there are none."""
        events = self._events.get(key)
        if events is None:
            return None
        while events and events[0] <= now - self.window:
            events.popleft()
        if not events:
            del self._events[key]
            return None
        return events

    def allowed(self, key: str) -> bool:
        """Whether one more event for `key` is within the limit (does not record it)."""
        with self._lock:
            events = self._pruned(key, self._clock())
            return events is None or len(events) < self.limit

    def hit(self, key: str) -> bool:
        """Record an event; False when it is over the limit (then it is not recorded)."""
        with self._lock:
            now = self._clock()
            events = self._pruned(key, now)
            if events is None:
                events = self._events[key] = deque()
                while len(self._events) > self.max_keys:
                    self._events.popitem(last=False)
            elif len(events) >= self.limit:
                return False
            self._events.move_to_end(key)
            events.append(now)
            return True

    def retry_after(self, key: str) -> int:
        with self._lock:
            events = self._pruned(key, self._clock())
            if events is None or len(events) < self.limit:
                return 0
            return max(1, int(events[0] + self.window - self._clock()) + 1)
