"""The same audio job with and without `enableSpeakerDiarization=true` (target: at most 15 % slower).

    .venv/bin/python bench/perf/diarization_overhead.py [--minutes 3] [--rounds 2] [--model base]

Audio: conv2_harvard.wav (two speakers, alternating turns) repeated with 0.3 s gaps to `--minutes`.
One live server per round (models warm), the two variants interleaved inside it, best round kept.
Also prints the speakers found and the job's own step timings (transcribe vs speakers).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path
from typing import Any

from perfkit import header, in_child, joined, live_server


def child(path: str, model: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    with live_server(asr={"model": model}) as (client, events):
        for diarize in (False, True, False, True):  # alternated: load drifts hit both alike
            params = {"enableSpeakerDiarization": "true"} if diarize else {}
            took, ids = client.run(Path(path), **params)
            time.sleep(0.2)
            media = next(e for e in events.for_job(ids["jobId"]) if e.get("event") == "job.media.transcribed")
            speakers = {(m.get("from") or {}).get("name") for m in client.messages(ids["conversationId"])} - {
                None
            }
            variant = "on" if diarize else "off"
            if variant in out and out[variant][0] <= took:
                continue
            out[variant] = (
                took,
                float(media["transcribe_seconds"]),
                float(media["speakers_seconds"]),
                sorted(str(name) for name in speakers),
            )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--model", default="base")
    parser.add_argument("--minutes", type=float, default=3.0)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    seconds = args.minutes * 60
    print(f"diarization_overhead model={args.model} {header()}", flush=True)
    best: dict[str, tuple[float, float, float, list[str]]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        path = joined(Path(tmp) / "conv2.wav", seconds, clips=("conv2_harvard.wav",))
        for rnd in range(args.rounds):
            result = in_child(child, str(path), args.model)
            for variant, row in result.items():
                took, asr, spk, names = row
                print(
                    f"  round {rnd + 1} diarization {variant:<3} {took:6.1f} s  RTF {took / seconds:.3f}"
                    f"  transcribe {asr:.1f} s  speakers {spk:.1f} s  {names}",
                    flush=True,
                )
                if variant not in best or took < best[variant][0]:
                    best[variant] = row
    off, on = best["off"][0], best["on"][0]
    share = best["on"][2] / best["off"][0]
    print(
        f"  speakers step alone: {best['on'][2]:.1f} s = {100 * share:.1f} % of the job without diarization"
    )
    print(
        f"best of {args.rounds}, {seconds:.0f} s of 2-speaker audio ({header()}): off {off:.1f} s,"
        f" on {on:.1f} s -> diarization adds {100 * (on / off - 1):.1f} % (target <= 15 %)"
    )


if __name__ == "__main__":
    main()
