"""What decoding in a child process costs on a short file: probe and full decode, in process and in
a child forked from the preloaded fork server (`convoscope.pipeline.isolated`).

    .venv/bin/python bench/security/isolation_overhead.py [--file ../shared/data/jfk.flac] [--runs 20]

Prints the fork server's first start, then the median and the 90th percentile of each variant.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from convoscope.pipeline import decode, isolated

DATA = Path(__file__).resolve().parents[3] / "shared" / "data"


def timed(action: Callable[[], object], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--file", type=Path, default=DATA / "jfk.flac")
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    path = args.file
    load = os.getloadavg()
    print(f"isolation_overhead file={path.name} runs={args.runs} cores={os.cpu_count()} load={load[0]:.1f}")
    started = time.perf_counter()
    isolated.probe(path)
    print(f"fork server start + first probe: {1000 * (time.perf_counter() - started):.0f} ms")
    variants: dict[str, Callable[[], object]] = {
        "probe, in process": lambda: decode.probe(path),
        "probe, child": lambda: isolated.probe(path),
        "decode, in process": lambda: np.concatenate(list(decode.iter_frames(path)), axis=1),
        "decode, child": lambda: np.concatenate(list(isolated.iter_frames(path)), axis=1),
    }
    for name, action in variants.items():
        times = sorted(timed(action, args.runs))
        p90 = times[int(0.9 * (len(times) - 1))]
        print(f"{name:20s} median {1000 * statistics.median(times):6.1f} ms   p90 {1000 * p90:6.1f} ms")


if __name__ == "__main__":
    main()
