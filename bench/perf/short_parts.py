"""Where recognition of a short recording goes: the job's `transcribe` against bare faster-whisper.

    .venv/bin/python bench/perf/short_parts.py [--seconds 15 30] [--rounds 3] [--model base]

In one process, interleaved: `job` is `transcribe` as a job runs it (VAD, the one-stream copy,
greedy first; the file already decoded), `bare-en` is `WhisperModel.transcribe(path,
word_timestamps=True, language="en")` on every core (beam 5, its own decoding of the file). Both
run with the worker's `OMP_WAIT_POLICY=PASSIVE`, so this compares the work each does, not how
their idle threads wait. For each file (the shared clips joined, `dense` and `paused`) it prints
medians of wall and process CPU seconds (a loaded machine stretches CPU time far less than wall
time) and, from a profile of the last round, the CPU seconds in CTranslate2's encoder (with its
number of passes), the search (the job's greedy-first `generate`, bare's `generate_with_fallback`), the
word alignment and the VAD.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # as `models.device.configure_openmp` sets it

from perfkit import header, joined, quiet

# Profile rows: (part, function names as cProfile reports them).
PARTS = {
    "encoder": ("<built-in method ctranslate2._ext.encode>",),
    "search": ("generate", "generate_with_fallback"),
    "alignment": ("<built-in method ctranslate2._ext.align>",),
    "vad": (),  # Silero's ONNX Runtime session: matched by name below
}


def parts_of(profile: cProfile.Profile) -> dict[str, tuple[float, int]]:
    """(seconds, calls) of each of `PARTS` in `profile`: the time inside each function itself
    (CTranslate2's calls are not profiled apart from the Python function that makes them)."""
    stats: dict[Any, Any] = pstats.Stats(profile).stats  # type: ignore[attr-defined]
    out = {}
    for part, names in PARTS.items():
        rows = [row for (_file, _line, name), row in stats.items() if name in names]
        if part == "vad":
            rows = [row for (_f, _l, name), row in stats.items() if "onnxruntime" in name and "run" in name]
        out[part] = (sum(row[2] for row in rows), sum(row[1] for row in rows))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, nargs="+", default=[15.0, 30.0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--model", default="base")
    parser.add_argument("--compute-type", default="int8")
    args = parser.parse_args()
    quiet()
    from common import models_dir, plain_whisper

    from convoscope.pipeline import decode
    from convoscope.pipeline.models.pool import ModelPool
    from convoscope.pipeline.transcribe import TranscriptionOptions, transcribe

    pool = ModelPool(models_dir(), default_model=args.model, compute_type=args.compute_type)
    model = pool.get()
    one_stream = pool.one_stream(greedy=True)
    if one_stream is not None:
        one_stream()
    bare = plain_whisper(args.model, args.compute_type)
    options = TranscriptionOptions(model=args.model, batch_size=pool.batch_size())
    print(f"short_parts model={args.model} {args.compute_type} ({header()})", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        files = {
            f"{seconds:g} s {kind}": joined(Path(tmp) / f"{kind}-{seconds:g}.wav", seconds, gap=kind)
            for seconds in args.seconds
            for kind in ("dense", "paused")
        }
        audio = {name: decode.decode(path) for name, path in files.items()}

        def job(name: str) -> int:
            return len(transcribe(model, audio[name], options, one_stream=one_stream).words)

        def bare_en(name: str) -> int:
            segments, _ = bare.transcribe(str(files[name]), word_timestamps=True, language="en")
            return sum(len(s.words or ()) for s in segments)

        variants: dict[str, Callable[[str], int]] = {"job": job, "bare-en": bare_en}
        for name in files:  # warm both
            for run in variants.values():
                run(name)
        times: dict[tuple[str, str], list[tuple[float, float, int]]] = {}
        profiles: dict[tuple[str, str], dict[str, tuple[float, int]]] = {}
        for rnd in range(args.rounds):
            order = list(variants) if rnd % 2 == 0 else list(reversed(variants))
            for name in files:
                for variant in order:
                    profile = cProfile.Profile(time.process_time) if rnd == args.rounds - 1 else None
                    cpu, wall = time.process_time(), time.monotonic()
                    if profile:
                        profile.enable()
                    words = variants[variant](name)
                    if profile:
                        profile.disable()
                        profiles[(name, variant)] = parts_of(profile)
                    took = (time.monotonic() - wall, time.process_time() - cpu, words)
                    times.setdefault((name, variant), []).append(took)
            print(f"  round {rnd + 1} done ({header()})", flush=True)
    print(f"medians of {args.rounds} rounds; parts from the last round's profile ({header()}):")
    for (name, variant), runs in times.items():
        parts = profiles[(name, variant)]
        cells = "  ".join(
            f"{part} {seconds:.2f}" + (f" ({calls}x)" if part == "encoder" else "")
            for part, (seconds, calls) in parts.items()
        )
        wall = statistics.median(r[0] for r in runs)
        cpu = statistics.median(r[1] for r in runs)
        words = runs[-1][2]
        print(f"  {name:<10} {variant:<8} wall {wall:6.2f} s  CPU {cpu:6.2f} s  words {words:>3}  {cells}")


if __name__ == "__main__":
    main()
