"""Where a full audio job's worker memory peaks: RSS sampled through the job, split at its steps.

    .venv/bin/python bench/perf/memory_steps.py [--minutes 10 60] [--model base]

Each length runs in a fresh process holding a live server with its embedded worker (as
`memory.py`), diarization and insights on. RSS is sampled every 50 ms with its time and the job's
log events (`asr.media.window`, `asr.media.processed`, `job.step.finished`, `job.finished`) cut the
samples into phases: upload and queue, each processing window, segmentation and output, store,
insights. Prints the peak of each phase, so a phase whose peak grows with the recording shows.
"""

from __future__ import annotations

import argparse
import threading
import time
from pathlib import Path
from typing import Any

from perfkit import each_length, header, live_server, rss_now

# Events that end a phase, and the phase's name given the event.
ENDS = {
    "job.started": lambda e: "upload+queue",
    "asr.media.window": lambda e: f"window@{e['start_seconds']:.0f}s",
    "asr.media.processed": lambda e: "segment",
    "job.media.transcribed": lambda e: "speech_done",
    "job.step.finished": lambda e: str(e["step"]),
    "job.finished": lambda e: "finish",
}


def sample(stop: threading.Event, into: list[tuple[float, float]], every: float = 0.05) -> None:
    while True:
        into.append((time.monotonic(), rss_now()))
        if stop.wait(every):
            return


def child(path: str, model: str) -> dict[str, Any]:
    with live_server(asr={"model": model}) as (client, events):
        baseline = rss_now()
        samples: list[tuple[float, float]] = []
        stop = threading.Event()
        sampler = threading.Thread(target=sample, args=(stop, samples), daemon=True)
        started = time.monotonic()
        sampler.start()
        took, _ids = client.run(Path(path), enableSpeakerDiarization="true")
        stop.set()
        sampler.join()
        marks = [
            (e["t"], ENDS[e["event"]](e))
            for e in events.items  # the job's only: one job runs, and `job_id` is not on every event
            if e.get("event") in ENDS and e["t"] >= started
        ]
    phases: list[tuple[str, float, float]] = []  # (name, seconds, peak MB)
    begin = started
    for t, name in [*sorted(marks), (float("inf"), "after")]:
        inside = [rss for when, rss in samples if begin <= when < t]
        if inside:
            end = min(t, samples[-1][0])
            phases.append((name, end - begin, max(inside)))
        begin = t
    return {"seconds": took, "baseline": baseline, "phases": phases}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--model", default="base")
    parser.add_argument("--minutes", type=float, nargs="+", default=[10.0, 60.0])
    args = parser.parse_args()
    print(f"memory_steps model={args.model} {header()}", flush=True)
    for minutes, row in each_length(args.minutes, child, args.model):
        print(
            f"{minutes:g} min: job {row['seconds']:.1f} s, RSS after warm-up {row['baseline']:.0f} MB"
            f" ({header()})",
            flush=True,
        )
        for name, seconds, peak in row["phases"]:
            print(f"  {name:>16}  {seconds:7.1f} s  peak {peak:6.0f} MB", flush=True)


if __name__ == "__main__":
    main()
