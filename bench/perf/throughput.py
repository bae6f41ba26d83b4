"""Throughput with several jobs queued: 1 and 2 worker processes, decoding streams and threads per job.

    .venv/bin/python bench/perf/throughput.py [--jobs 4] [--seconds 60] [--configs 1:2:1,1:1:2,2:1:1]

Each config `P:S:T` is a fresh deployment on the embedded default (SQLite + SqliteHuey): a live API
server without its in-process worker, plus `convoscope worker --concurrency P` (P processes, each
with its own models) with `CONVOSCOPE_ASR_STREAMS=S` and `CONVOSCOPE_ASR_CPU_THREADS=T` (S x T
threads per job). After one warm-up job per process,
`--jobs` uploads of a `--seconds` file (clips joined with 0.3 s gaps) are queued at once; the wall
time until all complete gives jobs/hour and audio hours per hour.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import tempfile
import time
from pathlib import Path

from perfkit import DATA, ROOT, header, joined, live_server, quiet


def run(processes: int, streams: int, threads: int, path: Path, jobs: int, seconds: float, model: str) -> str:
    overrides = {
        "server": {"run_worker": False},
        "asr": {"model": model},
        "limits": {"concurrent_jobs": 1000},
    }
    with live_server(warm=False, **overrides) as (client, _events):
        env = {
            **os.environ,
            "CONVOSCOPE_DATA_DIR": str(client.data_dir),
            "CONVOSCOPE_ASR_MODEL": model,
            "CONVOSCOPE_ASR_STREAMS": str(streams),
            "CONVOSCOPE_ASR_CPU_THREADS": str(threads),
            "CONVOSCOPE_LOG_LEVEL": "warning",
        }
        worker = subprocess.Popen(
            [str(ROOT / ".venv" / "bin" / "convoscope"), "worker", "--concurrency", str(processes)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            warm = [client.submit(DATA / "jfk.flac")["jobId"] for _ in range(processes)]
            for job_id in warm:
                client.wait(job_id)
            started = time.monotonic()
            batch = [client.submit(path)["jobId"] for _ in range(jobs)]
            statuses = [client.wait(job_id)["status"] for job_id in batch]
            elapsed = time.monotonic() - started
        finally:
            os.killpg(worker.pid, signal.SIGTERM)
            worker.wait(timeout=60)
    assert set(statuses) == {"completed"}, statuses
    return (
        f"  processes={processes} streams x threads={streams}x{threads}  {jobs} jobs in {elapsed:6.1f} s"
        f"  {jobs / elapsed * 3600:6.1f} jobs/h  {jobs * seconds / elapsed:5.2f} audio h/h"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--jobs", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--model", default="base")
    parser.add_argument(
        "--configs", default="1:2:1,1:1:2,2:1:1,1:1:1", help="processes:streams:threads_per_stream, ..."
    )
    args = parser.parse_args()
    quiet()
    print(f"throughput model={args.model} {header()}", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        path = joined(Path(tmp) / "dense.wav", args.seconds)
        for config in args.configs.split(","):
            processes, streams, threads = (int(part) for part in config.split(":"))
            print(run(processes, streams, threads, path, args.jobs, args.seconds, args.model), flush=True)
    print(f"  ({header()})")


if __name__ == "__main__":
    main()
