"""The first job after a worker starts against the next ones: what the model warm-up leaves to it.

    .venv/bin/python bench/perf/first_job.py [--seconds 15] [--kind paused] [--rounds 3]
        [--jobs 3] [--base-src DIR]

Each round starts a real server on loopback (embedded SQLite + in-process worker, models preloaded)
in a fresh process, waits for the worker's model warm-up to end, then submits the same `--seconds`
file `--jobs` times in a row (upload to `completed`, diarization off) and prints each job's time.
With `--base-src` (another tree's `src`, e.g. main's: `git archive main src | tar -x -C /tmp/old`)
each round also runs that tree, the two in turn, so first jobs are compared side by side. The figure
to read is the first job over the median of the later ones (1.00 = nothing left to warm up), in
wall time and in the CPU time of the server's process.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from perfkit import _warming_up, header, in_child, joined, live_server


def first_jobs(path: str, jobs: int, src: str | None) -> list[tuple[float, float]]:
    """(wall, CPU) seconds of `jobs` submissions of `path` to a server whose warm-up has just ended
    (CPU: this process's, which runs the server and its worker; a loaded machine stretches it far
    less than wall time)."""
    if src:
        if "convoscope" in sys.modules:
            raise RuntimeError("convoscope was imported before the base source tree was put first")
        sys.path.insert(0, src)
    took = []
    with live_server(warm=False) as (client, _events):
        deadline = time.monotonic() + 600
        time.sleep(0.5)  # the warm-up thread starts with the worker
        while _warming_up() and time.monotonic() < deadline:
            time.sleep(0.05)
        for _ in range(jobs):
            cpu = time.process_time()
            seconds, _ids = client.run(Path(path))
            took.append((seconds, time.process_time() - cpu))
    return took


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--kind", choices=["dense", "paused"], default="paused")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=3)
    parser.add_argument("--base-src", help="another tree's `src`, run beside this one in each round")
    args = parser.parse_args()
    trees = {"new": None} | ({"base": str(Path(args.base_src).resolve())} if args.base_src else {})
    results: dict[str, list[list[tuple[float, float]]]] = {name: [] for name in trees}
    print(f"first_job {args.kind} {args.seconds:g} s, {args.jobs} jobs a server ({header()})", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        path = str(joined(Path(tmp) / "short.wav", args.seconds, gap=args.kind))
        for rnd in range(args.rounds):
            order = list(trees) if rnd % 2 == 0 else list(reversed(trees))
            for name in order:
                took = in_child(first_jobs, path, args.jobs, trees[name])
                results[name].append(took)
                cells = " ".join(f"{wall:.2f} ({cpu:.2f})" for wall, cpu in took)
                print(f"  round {rnd + 1} {name:<5} wall (CPU) s: {cells}", flush=True)
    print(f"medians of {args.rounds} rounds ({header()}):")
    for name, rounds in results.items():
        for i, what in enumerate(("wall", "CPU")):
            first = statistics.median(r[0][i] for r in rounds)
            later = statistics.median(statistics.median(t[i] for t in r[1:]) for r in rounds)
            ratio = statistics.median(r[0][i] / statistics.median(t[i] for t in r[1:]) for r in rounds)
            print(
                f"  {name:<5} {what:<4} first {first:.2f} s, later {later:.2f} s: first / later {ratio:.2f}"
            )


if __name__ == "__main__":
    main()
