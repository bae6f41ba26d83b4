"""Peak worker memory of a full audio job (diarization and insights on) for short and long recordings.

    .venv/bin/python bench/perf/memory.py [--minutes 10 120] [--model base]

Each length runs in a fresh process holding a live server with its embedded worker (the whole
process is the worker): models are warmed with one job, then the recording (clips joined with
0.3 s gaps) is uploaded with `enableSpeakerDiarization=true` and polled to `completed`. Reports the
RSS after warm-up, the peak sampled from /proc during the job and ru_maxrss; target: the longest
within 20 % of the shortest.
"""

from __future__ import annotations

import argparse
import resource
import threading
from pathlib import Path
from typing import Any

from perfkit import each_length, header, live_server, rss_now, rss_sampler


def child(path: str, model: str) -> dict[str, Any]:
    with live_server(asr={"model": model}) as (client, _events):
        baseline = rss_now()
        peak = [0.0]
        stop = threading.Event()
        sampler = threading.Thread(target=rss_sampler, args=(stop, peak), daemon=True)
        sampler.start()
        took, _ids = client.run(Path(path), enableSpeakerDiarization="true")
        stop.set()
        sampler.join()
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": took, "baseline": baseline, "peak": peak[0], "maxrss": maxrss}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--model", default="base")
    parser.add_argument("--minutes", type=float, nargs="+", default=[10.0, 120.0])
    args = parser.parse_args()
    print(f"memory model={args.model} {header()}", flush=True)
    rows = []
    for minutes, row in each_length(args.minutes, child, args.model):
        rows.append((minutes, row))
        print(
            f"  {minutes:6g} min  job {row['seconds']:7.1f} s (RTF {row['seconds'] / minutes / 60:.3f})"
            f"  RSS after warm-up {row['baseline']:6.0f} MB  peak {row['peak']:6.0f} MB"
            f"  ru_maxrss {row['maxrss']:6.0f} MB",
            flush=True,
        )
    first, last = rows[0][1]["maxrss"], rows[-1][1]["maxrss"]
    print(
        f"peak ru_maxrss {rows[-1][0]:g} min / {rows[0][0]:g} min = {last / first:.2f}"
        f" (target <= 1.20; {header()})"
    )


if __name__ == "__main__":
    main()
