"""Job throughput with 1 and 2 worker processes on the same audio batch (PostgreSQL + Redis).

    .venv/bin/python -m bench.scaleout.jobs --jobs 6 [--model tiny.en]

For each process count: a fresh deployment (one API node, one `convoscope worker --concurrency N`),
one warm-up job per process (models load on first use), then `--jobs` uploads of jfk.flac (11 s)
at once; reports the wall time until all complete, jobs/min, audio seconds per wall second, and
the mean per-job time a worker spent (job.started -> job.finished in the logs).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import datetime
from pathlib import Path

from bench.scaleout.common import deployment
from tests.fixtures.workload import audio_job, wait_all

JFK_SECONDS = 11.0


def run(processes: int, jobs: int, model: str, cpu_threads: int) -> str:
    with tempfile.TemporaryDirectory() as root, deployment(
        "postgres", Path(root), CONVOSCOPE_ASR_MODEL=model, CONVOSCOPE_ASR_CPU_THREADS=str(cpu_threads),
        CONVOSCOPE_LOG_LEVEL="info", CONVOSCOPE_MAX_CONCURRENT_JOBS="1000",
    ) as made:  # fmt: skip
        api = made.start_api()
        made.start_worker(concurrency=processes)
        made.wait_ready(timeout=300)
        token = made.token(api)
        warm = [audio_job(api, token)[1] for _ in range(processes)]
        wait_all(api.url or "", token, warm, timeout=900)
        started = time.perf_counter()
        batch = [audio_job(api, token)[1] for _ in range(jobs)]
        final = wait_all(api.url or "", token, batch, timeout=1800)
        elapsed = time.perf_counter() - started
        assert {b["status"] for b in final.values()} == {"completed"}, final
        per_job = _job_seconds(made.all_events(), set(batch))
        return (
            f"processes={processes} cpu_threads={cpu_threads or 'all'}  {jobs} jobs in {elapsed:6.1f} s"
            f"  {jobs / elapsed * 60:5.1f} jobs/min  {jobs * JFK_SECONDS / elapsed:5.2f} audio s/s"
            f"  per-job {statistics.mean(per_job):5.1f} s"
        )


def _job_seconds(events: list[dict[str, object]], ids: set[str]) -> list[float]:
    starts: dict[str, datetime] = {}
    spans = []
    for event in events:
        job_id = str(event.get("job_id"))
        stamp = datetime.fromisoformat(str(event.get("timestamp")).replace("Z", "+00:00"))
        if job_id in ids and event.get("event") == "job.started":
            starts[job_id] = stamp
        elif job_id in starts and event.get("event") == "job.finished":
            spans.append((stamp - starts[job_id]).total_seconds())
    return spans


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--jobs", type=int, default=6)
    parser.add_argument("--model", default="tiny.en")
    parser.add_argument("--configs", default="1:0,2:0,2:1", help="processes:asr_cpu_threads (0 = all)")
    args = parser.parse_args()
    for config in args.configs.split(","):
        processes, threads = (int(part) for part in config.split(":"))
        print(run(processes, args.jobs, args.model, threads), flush=True)


if __name__ == "__main__":
    main()
