"""How many of the machine's cores are idle right now (Linux: two reads of /proc/stat).

Load averages lag by a minute: right after a job's transcription kept every core busy they still
say "busy" although the cores have just been freed. A short sample of the kernel's CPU counters
tells what is idle at this moment.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

STAT = Path("/proc/stat")


def _idle_and_total() -> tuple[int, int] | None:
    try:
        fields = STAT.read_text().split("\n", 1)[0].split()
    except OSError:
        return None
    if not fields or fields[0] != "cpu":
        return None
    ticks = [int(v) for v in fields[1:]]
    # user nice system idle iowait irq softirq steal (guest time is counted inside user already)
    return ticks[3] + ticks[4], sum(ticks[:8])


def idle_cores(sample_seconds: float = 0.05) -> float | None:
    """Cores idle over the next `sample_seconds`, or None where the counters cannot be read."""
    first = _idle_and_total()
    if first is None:
        return None
    time.sleep(sample_seconds)
    second = _idle_and_total()
    if second is None or second[1] <= first[1]:
        return None
    share = (second[0] - first[0]) / (second[1] - first[1])
    return share * (os.cpu_count() or 1)


def threads_for_idle_cores(most: int, sample_seconds: float = 0.05) -> int:
    """Threads for a short burst of work: one per core idle now (rounded), 1 to `most`."""
    idle = idle_cores(sample_seconds)
    if idle is None:
        return 1
    return max(1, min(most, int(idle + 0.5)))
