"""Freed memory goes back to the system between windows; MKL's buffer cache is off in workers."""

from __future__ import annotations

import os

import numpy as np
import pytest

from convoscope.pipeline import heap
from convoscope.pipeline.heap import configure_allocators, release_free_memory


def _rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def test_trim_returns_fragmented_heap_memory() -> None:
    """Many mid-sized blocks (below glibc's mmap threshold) freed around survivors: only a trim
    gives their pages back, as after a window of decoding."""
    blocks = [np.ones(16_000, dtype=np.float32) for _ in range(8_000)]  # ~500 MB in 64 KB blocks
    survivors = blocks[::64]
    del blocks
    before = _rss_mb()
    assert release_free_memory()  # glibc here
    assert _rss_mb() < before - 200
    del survivors


def test_mkl_buffer_cache_is_off_unless_the_operator_chose(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MKL_DISABLE_FAST_MM", raising=False)
    configure_allocators()
    assert os.environ["MKL_DISABLE_FAST_MM"] == "1"
    monkeypatch.setenv("MKL_DISABLE_FAST_MM", "0")
    configure_allocators()
    assert os.environ["MKL_DISABLE_FAST_MM"] == "0"


def test_glibc_arenas_are_capped_at_one_a_core_unless_the_operator_chose(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert heap._libc_function("mallopt") is not None  # glibc here
    calls: list[tuple[int, int]] = []
    monkeypatch.setattr(heap, "_libc_function", lambda name: lambda *args: calls.append(args) or 1)
    monkeypatch.delenv("MALLOC_ARENA_MAX", raising=False)
    configure_allocators()
    assert calls == [(heap.M_ARENA_MAX, len(os.sched_getaffinity(0)))]
    configure_allocators(arenas=3)
    assert calls[-1] == (heap.M_ARENA_MAX, 3)
    monkeypatch.setenv("MALLOC_ARENA_MAX", "8")  # read by glibc itself at start
    configure_allocators()
    assert len(calls) == 2
