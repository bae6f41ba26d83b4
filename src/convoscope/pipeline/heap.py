"""Give freed memory back to the system between windows of a long recording.

Each window's decoding allocates and frees large buffers (features, encoder outputs, beam search
state) from several threads. Kept by the allocators, what was freed let the worker's peak RSS creep
up by 150-300 MB a window (10 minutes of audio): a 2-hour recording peaked 1.55x higher than a
10-minute one (`bench/perf/memory.py`). Two allocators keep it: glibc's heaps, which
`malloc_trim(0)` returns after each window, and MKL's buffer cache inside CTranslate2, which
`MKL_DISABLE_FAST_MM` turns off (no slower here: 77.7 s vs 76.9 s for a 30-minute job).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import os
from collections.abc import Callable


def configure_allocators() -> None:
    """Before the speech model is first used: no MKL buffer cache (unless the operator set one)."""
    os.environ.setdefault("MKL_DISABLE_FAST_MM", "1")


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    try:
        trim: Callable[[int], int] = ctypes.CDLL(name).malloc_trim
    except (OSError, AttributeError):  # not glibc
        return None
    return trim


def release_free_memory() -> bool:
    """Return freed heap pages to the system; False where the C library cannot."""
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True
