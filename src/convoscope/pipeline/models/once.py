"""Process-wide models loaded on first use: the first callers wait for one load, later ones share it."""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import wraps
from typing import TypeVar

T = TypeVar("T")


def load_once(build: Callable[[], T]) -> Callable[[], T]:
    """`build`'s result, made on the first call and returned to every later one.

    The lock is held while building, so callers that arrive during a load wait for it instead of
    loading the model a second time. A build that raises leaves nothing behind: the next call retries.
    """
    lock = threading.Lock()
    built: list[T] = []

    @wraps(build)
    def get() -> T:
        with lock:
            if not built:
                built.append(build())
            return built[0]

    return get
