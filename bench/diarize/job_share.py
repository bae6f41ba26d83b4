"""Diarization's share of a media job's wall time, in process (no server, no queue).

    .venv/bin/python bench/diarize/job_share.py [--minutes 2] [--rounds 2] [--model base]
        [--embedders campplus resemblyzer] [--before] [--base-src /tmp/dia-old/src] [--bf16 off]

Runs `process_media` (the job's speech step: decode, transcribe, diarize, segment) on 2-speaker
audio (conv2_harvard and pyannote_sample joined with 0.3 s gaps to `--minutes`) once without
diarization and once per embedder, interleaved per round; keeps each variant's best round. Prints
the speakers step and the whole step, and what diarization adds (target <= 15 %), in wall time and
in CPU seconds (the process's threads and its finished children: robust to other load, where wall
time is not; the best round of each). `--before` adds
`campplus-before`: CAM++ as it ran before its per-segment gate and channels-last front end
(`cost.py`), in the same rounds; `--base-src` adds `campplus-base`: the CAM++ network of another
source tree (e.g. main's, `git archive main src | tar -x -C /tmp/dia-old`), which with this tree's
engine is how that tree diarized where only campplus.py differs. `--idle-threads` adds
`campplus-idle` (one worker per idle core, as a job runs it), `--intra-op` `campplus-intra-op`: the
same threads as intra-op threads of one batch at a time, as diarization used them before
`pipeline/workers.py` (`cost.intra_op`). Every CAM++ variant finds the speakers on the core the
decoder leaves idle (`pipeline/speakers_ahead.py`); `--after` adds `campplus-after` and
`campplus-idle-after`, the same after transcription, as before.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "perf"))

from cost import base_model, before_model, network
from perfkit import header, joined


def _tracker(variant: str, tuned: dict[str, Any]) -> Any:
    """None for `off`, else a tracker diarizing with the variant's embedder."""
    from convoscope.pipeline.diarize import DiarizeSettings
    from convoscope.pipeline.diarize.tracker import SpeakerTracker

    if variant == "off":
        return None
    embedder = variant.partition("-")[0]
    settings = DiarizeSettings(embedder=embedder, **tuned)  # type: ignore[arg-type]
    # `-idle`: as a job runs it, one torch thread per core idle when diarization starts; `-after`:
    # diarization after transcription, not beside its last batches (`speakers_ahead`)
    threads = 0 if "-idle" in variant else 1
    return SpeakerTracker(settings=settings, threads=threads, ahead=not variant.endswith("-after"))


def _cpu_seconds() -> float:
    """CPU seconds of this process's threads and of its children that have ended (ffmpeg)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--model", default="base")
    parser.add_argument("--minutes", type=float, default=2.0)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--embedders", nargs="+", default=["campplus", "resemblyzer"])
    parser.add_argument("--hop", type=float, default=None, help="embedding hop (default: the engine's)")
    parser.add_argument("--threads", type=int, default=None, help="torch threads for the embedder")
    parser.add_argument(
        "--bf16",
        choices=("auto", "on", "off"),
        default="auto",
        help="bfloat16 encoder (auto: if the CPU has it)",
    )
    parser.add_argument("--before", action="store_true", help="also CAM++ as it ran before (cost.py)")
    parser.add_argument(
        "--idle-threads", action="store_true", help="also CAM++ on one thread per idle core, as a job runs it"
    )
    parser.add_argument(
        "--intra-op",
        action="store_true",
        help="also `--idle-threads` with the threads as intra-op threads of one batch at a time (as before)",
    )
    parser.add_argument(
        "--after",
        action="store_true",
        help="also `campplus-after` and `campplus-idle-after`: diarization after transcription (as before)",
    )
    parser.add_argument("--base-src", type=Path, default=None, help="also CAM++ as that tree runs it")
    args = parser.parse_args()

    from convoscope.pipeline.models.pool import ModelPool
    from convoscope.pipeline.recognize import process_media
    from convoscope.pipeline.transcribe import TranscriptionOptions

    models = Path(os.environ.get("CONVOSCOPE_DATA_DIR", "/tmp/convoscope-bench")) / "models"
    pool = ModelPool(models, default_model=args.model)
    options = TranscriptionOptions(model=args.model, language="en")
    seconds = args.minutes * 60
    tuned: dict[str, Any] = {k: v for k, v in (("hop", args.hop), ("threads", args.threads)) if v is not None}
    if args.bf16 != "auto":
        tuned["bf16"] = args.bf16 == "on"
    print(f"job_share model={args.model} {tuned} {header()}", flush=True)
    best: dict[str, tuple[float, float, int]] = {}
    cpu: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        path = joined(Path(tmp) / "two.wav", seconds, clips=("conv2_harvard.wav", "pyannote_sample.wav"))
        process_media(path, options, pool)  # warm-up: models loaded, first calls made
        variants = [
            *args.embedders,
            *(["campplus-before"] if args.before else []),
            *(["campplus-base"] if args.base_src else []),
            *(["campplus-idle"] if args.idle_threads else []),
            *(["campplus-after", "campplus-idle-after"] if args.after else []),
            *(["campplus-intra-op"] if args.intra_op else []),
        ]
        before = before_model() if args.before else None
        base = base_model(args.base_src) if args.base_src else None
        for variant in variants:
            with network(variant.removeprefix("campplus-"), before, base):
                process_media(path, options, pool, assign_speakers=_tracker(variant, tuned))
        for rnd in range(args.rounds):
            for variant in ["off", *variants]:
                with network(variant.removeprefix("campplus-"), before, base):
                    started, cpu_started = time.perf_counter(), _cpu_seconds()
                    result = process_media(path, options, pool, assign_speakers=_tracker(variant, tuned))
                    took = time.perf_counter() - started
                cpu.setdefault(variant, []).append(_cpu_seconds() - cpu_started)
                found = len({s.speaker for s in result.sentences if s.speaker})
                print(
                    f"  round {rnd + 1} {variant:<15} {took:6.1f} s"
                    f"  transcribe {result.timings['transcribe']:5.2f} s"
                    f"  speakers step {result.timings['speakers']:5.2f} s  speakers found {found}"
                    f"  CPU {cpu[variant][-1]:6.2f} s  load {os.getloadavg()[0]:.1f}",
                    flush=True,
                )
                if variant not in best or took < best[variant][0]:
                    best[variant] = (took, result.timings["speakers"], found)
    off, off_cpu = best["off"][0], min(cpu["off"])
    for embedder in variants:
        took, step, found = best[embedder]
        used = min(cpu[embedder])
        print(
            f"{embedder}: {seconds:.0f} s of audio, job step {off:.1f} s -> {took:.1f} s"
            f" (+{100 * (took / off - 1):.1f} %), CPU {off_cpu:.2f} s -> {used:.2f} s"
            f" (+{100 * (used / off_cpu - 1):.1f} %),"
            f" speakers step {step:.2f} s = {100 * step / off:.1f} % of the job without diarization,"
            f" diarization RTF {step / seconds:.4f}, {found} speakers"
        )


if __name__ == "__main__":
    main()
