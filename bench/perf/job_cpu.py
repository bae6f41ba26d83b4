"""Where a short job's CPU goes, thread by thread, against bare faster-whisper's.

    .venv/bin/python bench/perf/job_cpu.py [--seconds 15] [--kinds paused dense] [--jobs 4]
        [--polls 0.05 0.5] [--model base]

CPU seconds are what a loaded shared machine stretches least, so they say what each side does
where wall time cannot. `job`: the full job (upload to `completed`, diarization off) on a real server
on loopback in a fresh process (models warmed by one job), the client polling `GET /v1/job/{id}`
every `--polls` seconds (each value is its own variant, interleaved); its CPU is the whole process's
(server, worker, client) plus the media children of its fork server, split by thread:
`recognition` (threads Python did not start: CTranslate2's, ONNX Runtime's pools), `worker` (the job
worker's thread: VAD, features, alignment's glue, store, insights), `http` (uvicorn's event loop and
the threads that run the routes: the upload and every poll), `client` (this benchmark's own HTTP
client), `media` (the children that probe and decode), `other`. `bare-en`: sequential
`WhisperModel.transcribe(path, word_timestamps=True, language="en")` on every core in a fresh
process, its process CPU. Medians over `--jobs` runs, with the load average.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

from perfkit import header, in_child, joined, live_server

GROUPS = ("recognition", "worker", "http", "client", "media", "other")


def _ticks(fields: list[str], first: int, last: int) -> float:
    return sum(int(v) for v in fields[first:last]) / os.sysconf("SC_CLK_TCK")


def thread_cpu() -> dict[int, float]:
    """CPU seconds of each thread of this process, by native thread id (user + system)."""
    out = {}
    for tid in os.listdir("/proc/self/task"):
        try:
            with open(f"/proc/self/task/{tid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:  # the thread ended meanwhile
            continue
        out[int(tid)] = _ticks(fields, 11, 13)
    return out


def media_cpu() -> float:
    """CPU seconds of the fork server and the media children it has reaped."""
    from multiprocessing import forkserver

    pid = getattr(forkserver._forkserver, "_forkserver_pid", None)
    if not pid:
        return 0.0
    with open(f"/proc/{pid}/stat") as f:
        return _ticks(f.read().rsplit(")", 1)[1].split(), 11, 15)


def group_of(thread: threading.Thread | None) -> str:
    if thread is None:
        return "recognition"
    name = thread.name
    if name == "MainThread":
        return "client"
    if name.startswith("Worker"):
        return "worker"
    if name == "AnyIO worker thread" or name.endswith("(run)"):
        return "http"
    return "other"


Row = tuple[str, float, Counter[str]]  # (variant, wall seconds, CPU seconds by group)


def job_child(paths: list[str], model: str, jobs: int, polls: list[float]) -> list[Row]:
    """(variant, wall, CPU by group) of each job."""
    out = []
    with live_server(asr={"model": model}) as (client, _events):
        for rnd in range(jobs):
            for poll in polls if rnd % 2 == 0 else list(reversed(polls)):
                for path in paths:
                    before, media = thread_cpu(), media_cpu()
                    started = time.monotonic()
                    ids = client.submit(Path(path))
                    if client.wait(ids["jobId"], poll=poll)["status"] != "completed":
                        raise RuntimeError(f"job {ids['jobId']} failed")
                    took = time.monotonic() - started
                    after = thread_cpu()
                    threads = {t.native_id: t for t in threading.enumerate()}
                    cpu: Counter[str] = Counter(media=media_cpu() - media)
                    for tid, seconds in after.items():
                        cpu[group_of(threads.get(tid))] += seconds - before.get(tid, 0.0)
                    out.append((f"job poll {poll:g} s {Path(path).stem}", took, cpu))
    return out


def bare_child(paths: list[str], model: str, jobs: int) -> list[Row]:
    from common import plain_whisper
    from perfkit import DATA, quiet

    quiet()
    whisper = plain_whisper(model, "int8")
    list(whisper.transcribe(str(DATA / "jfk.flac"), word_timestamps=True, language="en")[0])
    out = []
    for _ in range(jobs):
        for path in paths:
            cpu, started = time.process_time(), time.monotonic()
            list(whisper.transcribe(path, word_timestamps=True, language="en")[0])
            took = time.monotonic() - started
            out.append((f"bare-en {Path(path).stem}", took, Counter(recognition=time.process_time() - cpu)))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--kinds", nargs="+", choices=["dense", "paused"], default=["paused", "dense"])
    parser.add_argument("--jobs", type=int, default=4)
    parser.add_argument("--polls", type=float, nargs="+", default=[0.05, 0.5])
    parser.add_argument("--model", default="base")
    args = parser.parse_args()
    print(f"job_cpu model={args.model} int8 {args.seconds:g} s ({header()})", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        paths = [str(joined(Path(tmp) / f"{kind}.wav", args.seconds, gap=kind)) for kind in args.kinds]
        rows = in_child(bare_child, paths, args.model, args.jobs)
        rows += in_child(job_child, paths, args.model, args.jobs, args.polls)
    print(f"medians of {args.jobs} ({header()}); CPU seconds:")
    print(f"  {'variant':<26}{'wall':>7}{'CPU':>7}" + "".join(f"{g:>12}" for g in GROUPS))
    for variant in dict.fromkeys(name for name, _, _ in rows):
        mine = [(took, cpu) for name, took, cpu in rows if name == variant]
        total = statistics.median(sum(cpu.values()) for _, cpu in mine)
        cells = "".join(f"{statistics.median(cpu[g] for _, cpu in mine):>12.3f}" for g in GROUPS)
        print(f"  {variant:<26}{statistics.median(t for t, _ in mine):>7.2f}{total:>7.2f}{cells}")


if __name__ == "__main__":
    main()
