"""Where the time of one audio job goes, step by step, on a real server.

    .venv/bin/python bench/perf/profile_job.py [--minutes 2] [--diarize] [--model base]

Runs jfk.flac (11 s) and a `--minutes` file of joined clips through a live server (models warm) and
splits each job's wall time by the events the worker logs: upload + queue wait (submit ->
`job.started`), the speech steps `process_media` times (probe, decode, transcribe, speakers,
segment), building the output, store (`job.step.finished` store), insights (`job.step.finished`
insights), finish + webhooks (-> `job.finished`) and the client's poll latency.
"""

from __future__ import annotations

import argparse
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


def profile(events: Events, job_id: str, submitted: float, seen: float) -> list[tuple[str, float]]:
    """(step, seconds) rows for one finished job."""
    mine = events.for_job(job_id)
    started = _at(mine, "job.started")["t"]
    media = _at(mine, "job.media.transcribed")
    store = _at(mine, "job.step.finished", "store")["t"]
    insights = _at(mine, "job.step.finished", "insights")["t"]
    finished = _at(mine, "job.finished")["t"]
    rows = [("upload + queue wait", started - submitted)]
    media_total = float(media["total_seconds"])
    rows += [(step, float(media.get(f"{step}_seconds", 0.0))) for step in MEDIA_STEPS]
    rows.append(("(other speech-path work)", media_total - sum(v for _, v in rows[1:])))
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
            client.wait(ids["jobId"])
            seen = time.monotonic()
            time.sleep(0.2)  # let the worker's last log lines land
            out.append((seen - submitted, profile(events, ids["jobId"], submitted, seen)))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--model", default="base")
    parser.add_argument("--minutes", type=float, default=2.0)
    parser.add_argument("--diarize", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        long = joined(Path(tmp) / "dense.wav", args.minutes * 60)
        paths = [str(DATA / "jfk.flac"), str(long)]
        results = in_child(child, paths, args.model, args.diarize)
    print(f"profile_job model={args.model} diarization={'on' if args.diarize else 'off'} {header()}")
    names = ["jfk.flac (11 s)", f"dense {args.minutes:g} min"]
    rows = [step for step, _ in results[0][1]]
    print(f"  {'step':<26}" + "".join(f"{n:>28}" for n in names))
    for i, step in enumerate(rows):
        cells = "".join(f"{r[1][i][1]:>12.3f} s {100 * r[1][i][1] / r[0]:>5.1f} %{'':>6}" for r in results)
        print(f"  {step:<26}{cells}")
    print(f"  {'total (submit -> seen)':<26}" + "".join(f"{r[0]:>12.3f} s{'':>14}" for r in results))


if __name__ == "__main__":
    main()
