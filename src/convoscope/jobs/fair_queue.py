"""A queue that hands out work fairly across tenants: one queue per key (an app), served round-robin,
at most one item of a key at a time, each key's queue bounded, items that may wait until a time.

Webhook delivery uses it so that an app whose receiver is slow or dead delays only its own calls:
it holds at most one delivery thread at a time, its retries wait without holding any, and its backlog
is capped. Items of one key stay in order (a job's `in_progress` before its `completed`).
"""

from __future__ import annotations

import threading
import time
from collections import deque
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Item(Generic[T]):
    key: str
    value: T
    attempt: int = 1
    not_before: float = 0.0  # time.monotonic() before which it is not handed out


class FairQueue(Generic[T]):
    def __init__(self, per_key: int) -> None:
        self.per_key = per_key
        self._queues: dict[str, deque[Item[T]]] = {}
        self._idle: deque[str] = deque()  # keys with items and none handed out, in turn order
        self._busy: set[str] = set()
        self._cond = threading.Condition()
        self._closed = False

    def put(self, item: Item[T], *, first: bool = False) -> bool:
        """Queue `item` (at the front of its key with `first`, for a retry); False when its key's
        queue is full or the queue is closed (then it is dropped)."""
        with self._cond:
            if self._closed and not first:
                return False
            items = self._queues.setdefault(item.key, deque())
            if len(items) >= self.per_key and not first:
                return False
            if first:
                items.appendleft(item)
            else:
                items.append(item)
            if item.key not in self._busy and item.key not in self._idle:
                self._idle.append(item.key)
            self._cond.notify_all()
            return True

    def take(self) -> Item[T] | None:
        """The next due item of the next key in turn (blocking); None once closed with nothing due."""
        with self._cond:
            while True:
                now = time.monotonic()
                for key in list(self._idle):
                    head = self._queues[key][0]
                    if head.not_before <= now or self._closed:
                        self._idle.remove(key)
                        self._busy.add(key)
                        return self._queues[key].popleft()
                if self._closed:
                    return None
                due = [self._queues[key][0].not_before for key in self._idle]
                self._cond.wait(timeout=max(0.0, min(due) - now) if due else None)

    def done(self, key: str) -> None:
        """The item handed out for `key` is finished (or was put back with `first`)."""
        with self._cond:
            self._busy.discard(key)
            items = self._queues.get(key)
            if items:
                self._idle.append(key)  # to the back: every other key gets its turn first
            elif items is not None:
                del self._queues[key]
            self._cond.notify_all()

    def close(self) -> None:
        """Hand out what is queued at once (retries do not wait any longer), then None."""
        with self._cond:
            self._closed = True
            self._cond.notify_all()

    def queued(self, key: str) -> int:
        with self._cond:
            return len(self._queues.get(key, ()))
