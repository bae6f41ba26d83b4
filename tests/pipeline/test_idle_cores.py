"""Idle cores read from the kernel's counters, on this machine: a busy core is not counted."""

from __future__ import annotations

import os
import sys
import threading
import time

import pytest

from convoscope.pipeline.idle_cores import idle_cores, threads_for_idle_cores

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/stat")


@linux_only
def test_idle_cores_lie_between_none_and_every_core() -> None:
    idle = idle_cores()
    assert idle is not None and 0.0 <= idle <= (os.cpu_count() or 1) + 1e-6


@linux_only
def test_a_core_kept_busy_is_not_offered() -> None:
    cores = os.cpu_count() or 1
    stop = time.monotonic() + 1.0

    def spin() -> None:
        while time.monotonic() < stop:
            pass

    spinner = threading.Thread(target=spin)
    spinner.start()
    try:
        time.sleep(0.1)  # the spinner holds a core by now
        threads = threads_for_idle_cores(cores, sample_seconds=0.2)
    finally:
        spinner.join()
    assert 1 <= threads <= max(1, cores - 1)


def test_threads_stay_within_bounds() -> None:
    assert threads_for_idle_cores(1) == 1
    assert 1 <= threads_for_idle_cores(64) <= max(1, os.cpu_count() or 1)
