"""Give freed memory back to the system between windows of a long recording.

Each window's decoding allocates and frees large buffers (features, encoder outputs, beam search
state) from several threads. Kept by the allocators, what was freed let the worker's peak RSS creep
up window after window, so a long recording peaked well above a short one. Three things keep it:
glibc's heaps, which `malloc_trim(0)` returns after each window; glibc's per-thread arenas (by
default up to 8 a core, each fragmenting on its own as the decoding streams, VAD and diarization
threads come and go), capped at one a core; and MKL's buffer cache inside CTranslate2, which
`MKL_DISABLE_FAST_MM` turns off (no slower here). With the arenas capped, `process_media` with
diarization peaks lower in the same time. Measured by `bench/perf/memory.py`; figures in
`bench/README.md`.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import os
from collections.abc import Callable

M_ARENA_MAX = -8  # glibc's mallopt parameter


def configure_allocators(arenas: int | None = None) -> None:
    """Before the speech model is first used: no MKL buffer cache (unless the operator set one),
    and at most `arenas` glibc heaps (default: one per core; `MALLOC_ARENA_MAX` wins if set)."""
    os.environ.setdefault("MKL_DISABLE_FAST_MM", "1")
    mallopt = _libc_function("mallopt")
    if mallopt is not None and "MALLOC_ARENA_MAX" not in os.environ:
        mallopt(M_ARENA_MAX, arenas or len(os.sched_getaffinity(0)))  # glibc (Linux) only


@functools.cache
def _libc_function(name: str) -> Callable[..., int] | None:
    """A glibc function, or None where the C library is not glibc."""
    library = ctypes.util.find_library("c")
    if library is None:
        return None
    try:
        function: Callable[..., int] = getattr(ctypes.CDLL(library), name)
    except (OSError, AttributeError):
        return None
    return function


def release_free_memory() -> bool:
    """Return freed heap pages to the system; False where the C library cannot."""
    trim = _libc_function("malloc_trim")
    if trim is None:
        return False
    trim(0)
    return True
