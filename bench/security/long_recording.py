"""A long recording (4 hours, the advertised maximum, by default) through the real app on the embedded
default: uvicorn, SQLite + the in-process worker, the default speech model, diarization on.

    .venv/bin/python bench/security/long_recording.py [--minutes 240] [--model base]

The recording is the shared clips (`../shared/data`) repeated with 0.5-3 s pauses of faint noise
between them, written to a 16 kHz WAV block by block (nothing holds the whole of it). It is uploaded
with `enableSpeakerDiarization=true` to a live server running in a fresh process, and polled until
the job ends. Prints the wall time from upload to `completed`, the job's own step timings, and the
peak RSS of the server process (sampled from /proc, and ru_maxrss) and of its child processes (the
media decoders and the fork server they come from).
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import threading
import time
import wave
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "perf"))

from perfkit import CLIPS, DATA, SR, header, in_child, live_server, rss_now, rss_sampler

LIMIT_SECONDS = 4 * 3600  # the server's default `limits.media_seconds`


def build(path: Path, seconds: float) -> Path:
    """The clips, decoded once, written again and again with pauses until `seconds` of audio."""
    from convoscope.pipeline import decode

    rng = np.random.default_rng(0)
    clips = [decode.decode(DATA / name) for name in CLIPS]
    target, written, i = int(seconds * SR), 0, 0
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(SR)
        while written < target:
            pause = (rng.standard_normal(int(rng.uniform(0.5, 3.0) * SR)) * 0.002).astype(np.float32)
            block = np.concatenate([clips[i % len(clips)], pause])[: target - written]
            out.writeframes((np.clip(block, -1, 1) * 32767).astype("<i2").tobytes())
            written += block.shape[0]
            i += 1
    return path


def descendants_rss(root: int) -> float:
    """Total RSS (MB) of every process under `root` (not `root` itself)."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            parents[int(entry)], rss[int(entry)] = int(fields[1]), int(fields[21])
        except (OSError, IndexError, ValueError):
            continue
    under = {root}
    changed = True
    while changed:
        found = {pid for pid, parent in parents.items() if parent in under and pid not in under}
        under |= found
        changed = bool(found)
    return sum(rss[pid] for pid in under - {root}) * os.sysconf("SC_PAGE_SIZE") / 2**20


def children_sampler(stop: threading.Event, peak: list[float], every: float = 0.5) -> None:
    while not stop.wait(every):
        peak[0] = max(peak[0], descendants_rss(os.getpid()))


def child(path: str, model: str) -> dict[str, Any]:
    with live_server(asr={"model": model}, limits={"media_seconds": LIMIT_SECONDS}) as (client, events):
        warm = rss_now()
        peak, children = [0.0], [0.0]
        stop = threading.Event()
        samplers = [
            threading.Thread(target=rss_sampler, args=(stop, peak, 0.2), daemon=True),
            threading.Thread(target=children_sampler, args=(stop, children), daemon=True),
        ]
        for sampler in samplers:
            sampler.start()
        started = time.monotonic()
        ids = client.submit(Path(path), enableSpeakerDiarization="true")
        job = client.wait(ids["jobId"], timeout=6 * 3600, poll=1.0)
        took = time.monotonic() - started
        stop.set()
        for sampler in samplers:
            sampler.join()
        processed = [e for e in events.named("asr.media.processed") if e.get("audio_seconds", 0) > 60]
        messages = client.messages(ids["conversationId"]) if job["status"] == "completed" else []
    return {
        "status": job["status"],
        "message": job.get("message"),
        "seconds": took,
        "warm_rss": warm,
        "peak_rss": peak[0],
        "maxrss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "children_peak_rss": children[0],
        "steps": {k: v for k, v in (processed[-1] if processed else {}).items() if k.endswith("_seconds")},
        "messages": len(messages),
        "speakers": len({(m.get("from") or {}).get("id") for m in messages}),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--minutes", type=float, default=240.0)
    parser.add_argument("--model", default="base")
    args = parser.parse_args()
    seconds = min(args.minutes * 60, LIMIT_SECONDS - 1)
    print(f"long_recording minutes={seconds / 60:.1f} model={args.model} {header()}", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        path = build(Path(tmp) / "long.wav", seconds)
        print(f"built {path.stat().st_size / 2**20:.0f} MB", flush=True)
        row = in_child(child, str(path), args.model)
    for key, value in row.items():
        print(f"{key}: {round(value, 1) if isinstance(value, float) else value}")
    print(f"after: {header()}")


if __name__ == "__main__":
    main()
