"""Where the time of one audio job goes, step by step, on a real server.

    .venv/bin/python bench/perf/profile_job.py [--minutes 2] [--kind dense|paused] [--repeat 1]
        [--diarize] [--model base]

Runs jfk.flac (11 s) and a `--minutes` file of joined clips through a live server (models warm) and
splits each job's wall time by the events the worker logs: the upload (submit -> its response),
the queue wait (-> `job.started`), the speech steps `process_media` times (probe, decode,
transcribe, speakers, segment), building the output, store (`job.step.finished` store), insights
(`job.step.finished` insights), finish + webhooks (-> `job.finished`) and the client's poll
latency. With `--repeat N` each file runs N times and the medians are printed.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from perfkit import DATA, Events, header, in_child, joined, live_server

MEDIA_STEPS = ("probe", "decode", "transcribe", "speakers", "segment")


def _at(events: list[dict[str, Any]], name: str, step: str | None = None) -> dict[str, Any]:
    for event in events:
        if event.get("event") == name and (step is None or event.get("step") == step):
            return event
    raise KeyError(name)


def profile(
    events: Events, job_id: str, submitted: float, answered: float, seen: float
) -> list[tuple[str, float]]:
    """(step, seconds) rows for one finished job (`answered`: when the upload's response came)."""
    mine = events.for_job(job_id)
    started = _at(mine, "job.started")["t"]
    media = _at(mine, "job.media.transcribed")
    store = _at(mine, "job.step.finished", "store")["t"]
    insights = _at(mine, "job.step.finished", "insights")["t"]
    finished = _at(mine, "job.finished")["t"]
    rows = [("upload (response)", answered - submitted), ("queue wait", started - answered)]
    media_total = float(media["total_seconds"])
    steps = [(step, float(media.get(f"{step}_seconds", 0.0))) for step in MEDIA_STEPS]
    rows += steps
    rows.append(("(other speech-path work)", media_total - sum(v for _, v in steps)))
    rows.append(("job setup", media["t"] - started - media_total))
    rows += [("output + store", store - media["t"]), ("insights", insights - store)]
    rows += [("finish + webhooks", finished - insights), ("client poll latency", seen - finished)]
    return rows


def child(paths: list[str], model: str, diarize: bool) -> list[tuple[float, list[tuple[str, float]]]]:
    params = {"enableSpeakerDiarization": "true"} if diarize else {}
    out = []
    with live_server(asr={"model": model}) as (client, events):
        for path in paths:
            submitted = time.monotonic()
            ids = client.submit(Path(path), **params)
            answered = time.monotonic()
            client.wait(ids["jobId"])
            seen = time.monotonic()
            time.sleep(0.2)  # let the worker's last log lines land
            out.append((seen - submitted, profile(events, ids["jobId"], submitted, answered, seen)))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--model", default="base")
    parser.add_argument("--minutes", type=float, default=2.0)
    parser.add_argument("--diarize", action="store_true")
    parser.add_argument("--kind", choices=["dense", "paused"], default="dense")
    parser.add_argument("--repeat", type=int, default=1, help="jobs of each file; medians are printed")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        long = joined(Path(tmp) / f"{args.kind}.wav", args.minutes * 60, gap=args.kind)
        paths = [str(DATA / "jfk.flac"), str(long)] * args.repeat
        runs = in_child(child, paths, args.model, args.diarize)
    print(
        f"profile_job model={args.model} diarization={'on' if args.diarize else 'off'} "
        f"medians of {args.repeat} ({header()})"
    )
    results = [_median_profile(runs[i::2]) for i in range(2)]
    names = ["jfk.flac (11 s)", f"{args.kind} {args.minutes:g} min"]
    rows = [step for step, _ in results[0][1]]
    print(f"  {'step':<26}" + "".join(f"{n:>28}" for n in names))
    for i, step in enumerate(rows):
        cells = "".join(f"{r[1][i][1]:>12.3f} s {100 * r[1][i][1] / r[0]:>5.1f} %{'':>6}" for r in results)
        print(f"  {step:<26}{cells}")
    print(f"  {'total (submit -> seen)':<26}" + "".join(f"{r[0]:>12.3f} s{'':>14}" for r in results))
    for name, column in zip(names, (runs[0::2], runs[1::2]), strict=True):
        print(f"  totals of {name}: " + " ".join(f"{total:.2f}" for total, _ in column))


def _median_profile(
    runs: list[tuple[float, list[tuple[str, float]]]],
) -> tuple[float, list[tuple[str, float]]]:
    """The median total and the median of each step over `runs` of one file."""
    steps = [step for step, _ in runs[0][1]]
    medians = [(step, statistics.median(r[1][i][1] for r in runs)) for i, step in enumerate(steps)]
    return statistics.median(total for total, _ in runs), medians


if __name__ == "__main__":
    main()
