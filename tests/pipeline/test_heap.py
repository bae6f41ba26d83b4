"""Freed memory goes back to the system between windows; MKL's buffer cache is off in workers."""

from __future__ import annotations

import os

import numpy as np
import pytest

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
