"""A full audio job against faster-whisper's own `BatchedInferencePipeline` and sequential decoding.

    .venv/bin/python bench/perf/job_vs_batched.py [--sizes 0.25 0.5 1 4 10] [--rounds 3]
        [--variants batched job bare-en job-base] [--base-src DIR] [--kinds dense paused]
        [--model base] [--no-wer] [--wer-only]

`batched`: `BatchedInferencePipeline(WhisperModel(int8, cpu_threads=all cores))`, `batch_size=8`,
beam 5, word timestamps, told the language (faster-whisper's fastest CPU mode, two lines of code).
`bare-en`: sequential `WhisperModel.transcribe` with the same model and threads, told the language.
`job`: the full job (upload to `completed`, diarization off) on a real server on loopback, models
warmed by one job. `job-beam`: the same with `CONVOSCOPE_ASR_GREEDY_FIRST=false` (the beam search
on every chunk, as before greedy-first decoding). `job-batch1`, `-batch2`, `-batch4`, `-batch8`: the
job with that many chunks a batch per stream (`CONVOSCOPE_ASR_BATCH_SIZE`; the int8 default on
one-thread streams was 1 before round 7, 2 in round 7, 4 since round 8). `job-base`: the job on
another source tree, whose `src` folder `--base-src` names (e.g. main's, `git archive main src | tar
-x -C /tmp/main`), so an old and a new version are measured side by side in one run. Every variant
uses the same model, beam size (5) and compute type.

Audio: the shared clips joined with 0.3 s gaps (`dense`) or 1.5-4 s pauses (`paused`), each
`--sizes` minutes long. Each round runs every variant once over all files, each in a fresh
process, the variants' order rotated between rounds; the medians of each variant and the medians of
the per-round ratios (measured side by side) are printed with the load average. WER (the shared
data README's rules) on the clips with reference transcripts.
"""

from __future__ import annotations

import argparse
import functools
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from job_vs_bare import WER_CLIPS, bare_english_child, job_child, wer
from perfkit import DATA, header, in_child, joined, quiet

# The job with this many chunks a batch on each stream (`asr.batch_size`), as `job-batchN`.
BATCH_SIZES = (1, 2, 4, 8)


def batched_child(paths: list[str], model: str, compute_type: str) -> list[tuple[float, str]]:
    """faster-whisper's `BatchedInferencePipeline` as its README shows it, on every core."""
    from common import plain_whisper
    from faster_whisper import BatchedInferencePipeline

    quiet()
    pipeline = BatchedInferencePipeline(plain_whisper(model, compute_type))
    kwargs: dict[str, Any] = {"batch_size": 8, "beam_size": 5, "word_timestamps": True, "language": "en"}
    list(pipeline.transcribe(str(DATA / "jfk.flac"), **kwargs)[0])
    out = []
    for path in paths:
        started = time.monotonic()
        segments, _ = pipeline.transcribe(path, **kwargs)
        text = " ".join(s.text for s in segments)
        out.append((time.monotonic() - started, text))
    return out


def job_beam_child(paths: list[str], model: str, compute_type: str) -> list[tuple[float, str]]:
    """The job with beam search on every chunk (`asr.greedy_first` off)."""
    return job_child(paths, model, compute_type, greedy_first=False)


def job_webhook_child(paths: list[str], model: str, compute_type: str) -> list[tuple[float, str]]:
    """The job timed to its `completed` status callback (`tests.fixtures.hooks`): no status polls."""
    return job_child(paths, model, compute_type, webhook=True)


def job_base_child(paths: list[str], model: str, compute_type: str, src: str) -> list[tuple[float, str]]:
    """The job with `convoscope` imported from `src` (nothing has imported it yet in this child)."""
    import sys

    if "convoscope" in sys.modules:
        raise RuntimeError("convoscope was imported before the base source tree was put first")
    sys.path.insert(0, src)
    return job_child(paths, model, compute_type)


VARIANTS = {
    "batched": batched_child,
    "bare-en": bare_english_child,
    "job": job_child,
    "job-beam": job_beam_child,
    "job-webhook": job_webhook_child,
    **{f"job-batch{n}": functools.partial(job_child, batch_size=n) for n in BATCH_SIZES},
    "job-base": job_base_child,
}


def run_variant(variant: str, paths: list[str], args: argparse.Namespace) -> Any:
    """`variant` on `paths` in a fresh process."""
    extra = [str(Path(args.base_src).resolve())] if variant == "job-base" else []
    return in_child(VARIANTS[variant], paths, args.model, args.compute_type, *extra)


def _label(minutes: float) -> str:
    return f"{minutes * 60:.0f} s" if minutes < 1 else f"{minutes:g} min"


def timings(args: argparse.Namespace) -> None:
    times: dict[tuple[str, str, float], list[float]] = {}
    ratios: dict[tuple[str, str, str, float], list[float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        files = [
            (kind, minutes, str(joined(Path(tmp) / f"{kind}-{minutes:g}.wav", minutes * 60, gap=kind)))
            for minutes in args.sizes
            for kind in args.kinds
        ]
        for rnd in range(args.rounds):
            shift = rnd % len(args.variants)
            order = args.variants[shift:] + args.variants[:shift]
            took: dict[tuple[str, str, float], float] = {}
            for variant in order:
                results = run_variant(variant, [p for *_, p in files], args)
                for (kind, minutes, _), (seconds, text) in zip(files, results, strict=True):
                    took[(variant, kind, minutes)] = seconds
                    times.setdefault((variant, kind, minutes), []).append(seconds)
                    print(
                        f"  round {rnd + 1} {variant:<8} {kind:<6} {_label(minutes):>6} {seconds:7.2f} s"
                        f"  words {len(text.split())}",
                        flush=True,
                    )
            print(f"  round {rnd + 1} done ({header()})", flush=True)
            for (variant, kind, minutes), seconds in took.items():
                for base in args.variants:
                    if base != variant:
                        key = (variant, base, kind, minutes)
                        ratios.setdefault(key, []).append(took[(base, kind, minutes)] / seconds)
    print(f"medians of {args.rounds} rounds ({header()}); 'x' = how many times faster than that variant:")
    for minutes in args.sizes:
        for kind in args.kinds:
            for variant in args.variants:
                runs = times[(variant, kind, minutes)]
                med = statistics.median(runs)
                vs = [
                    f"  vs {base} {statistics.median(ratios[(variant, base, kind, minutes)]):.2f}x"
                    for base in args.variants
                    if base != variant and not variant.startswith(("bare", "batched"))
                ]
                spread = f"{min(runs):.2f}-{max(runs):.2f}"
                print(
                    f"  {_label(minutes):>6} {kind:<6} {variant:<8} {med:7.2f} s (range {spread})"
                    f"  RTF {med / (minutes * 60):.3f}{''.join(vs)}"
                )


def word_error_rates(args: argparse.Namespace) -> None:
    import jiwer
    from common import normalize

    paths = [str(DATA / name) for name in WER_CLIPS]
    refs = [(DATA / ref).read_text() for ref in WER_CLIPS.values()]
    for variant in args.variants:
        scored: list[Any] = run_variant(variant, paths, args)
        per = [
            f"{Path(p).stem} {wer(r, t) * 100:.1f}" for p, r, (_, t) in zip(paths, refs, scored, strict=True)
        ]
        overall = jiwer.wer([normalize(r) for r in refs], [normalize(t) for _, t in scored])
        print(f"  WER {variant:<8} clips overall {overall * 100:.2f} %  ({', '.join(per)})", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--model", default="base")
    parser.add_argument("--compute-type", default="int8")
    parser.add_argument("--sizes", type=float, nargs="+", default=[0.25, 0.5, 1, 4, 10], help="minutes")
    parser.add_argument("--kinds", nargs="+", choices=["dense", "paused"], default=["dense", "paused"])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--no-wer", action="store_true")
    parser.add_argument("--wer-only", action="store_true")
    parser.add_argument(
        "--variants", nargs="+", choices=list(VARIANTS), default=["batched", "job", "bare-en"]
    )
    parser.add_argument("--base-src", help="the `src` folder `job-base` imports convoscope from")
    args = parser.parse_args()
    if "job-base" in args.variants and not args.base_src:
        parser.error("job-base needs --base-src")
    print(
        f"job_vs_batched model={args.model} {args.compute_type} beam 5 batch 8 (batched) {header()}",
        flush=True,
    )
    if not args.wer_only:
        timings(args)
    if not args.no_wer:
        word_error_rates(args)


if __name__ == "__main__":
    main()
