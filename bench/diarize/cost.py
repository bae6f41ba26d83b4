"""What `diarize()` alone costs per setting, variants interleaved in one process (best of rounds).

    .venv/bin/python bench/diarize/cost.py [--minutes 2] [--rounds 5] [--variants before 1.5/0.75 1.5/1.5]
        [--base-src /tmp/dia-old/src --variants base 1.5/0.75] [--bf16 off]

Audio: 2-speaker speech (conv2_harvard and pyannote_sample joined with 0.3 s gaps to `--minutes`),
one torch thread unless `--threads` says otherwise. A variant is `window/hop` in seconds, or
`before`: the default settings with CAM++ as it ran before its context gate went per segment and its front end
channels-last (rebuilt here for the comparison); `base`: the default settings with the CAM++ network of
another source tree (`--base-src`, e.g. main's, extracted with `git archive main src`). With
`--threads N`: `workers` is the current code on N threads (batches side by side on one-thread
workers), `intra-op` runs the batches one at a time on N intra-op threads and the VAD blocks in
turn (as before `workers.py`), `one` is one thread. The first
variant is the baseline. Each
round runs every variant once, in turn, so load on a shared machine hits them alike; per variant
the best round is kept, and the ratio to the baseline is taken per round (median) as well as of
the best rounds. Also prints the stage times of the best round (from the `diarize.finished` event)
and the speakers found.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "perf"))

from perfkit import Events, header, joined

STAGES = ("vad_seconds", "segmentation_seconds", "embed_seconds", "cluster_seconds", "turns_seconds")


THREADED = ("workers", "intra-op", "one")  # variants of how `--threads` cores are used


def parse(variant: str) -> dict[str, float]:
    if variant in ("before", "base", *THREADED):
        return {}
    window, hop = (float(x) for x in variant.split("/"))
    return {"window": window, "hop": hop}


def _gate_per_frame(self: Any, x: Any) -> Any:
    """`_ContextMask.forward` as it was: the gate's layers run on every frame."""
    import torch
    import torch.nn.functional as F

    frames, segment = x.shape[-1], 100
    pooled = F.avg_pool1d(x, kernel_size=segment, stride=segment, ceil_mode=True)
    context = x.mean(-1, keepdim=True) + pooled.repeat_interleave(segment, dim=-1)[..., :frames]
    return self.linear_local(x) * torch.sigmoid(self.linear2(self.relu(self.linear1(context))))


def before_model() -> Any:
    """A copy of the loaded CAM++ network that computes as it did before (same weights)."""
    import copy

    import torch

    from convoscope.pipeline.diarize import campplus, speaker_model

    model = copy.deepcopy(speaker_model.get_model())
    model.head.to(memory_format=torch.contiguous_format)
    for module in model.modules():
        if isinstance(module, campplus._ContextMask):
            module.forward = _gate_per_frame.__get__(module)  # type: ignore[method-assign]
    return model


def base_model(src: Path) -> Any:
    """The CAM++ network as `src`'s campplus.py defines it (another tree's), with the same weights."""
    import importlib.util

    from convoscope.pipeline.diarize import speaker_model

    spec = importlib.util.spec_from_file_location(
        "campplus_base", src / "convoscope" / "pipeline" / "diarize" / "campplus.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.load(speaker_model.weights_path())


def _intra_op_map(work: Any, count: int, threads: int, bf16: Any) -> list[Any]:
    """Batches one at a time on `threads` intra-op threads, as diarization ran before `workers.py`."""
    from convoscope.pipeline.diarize.embed import cpu_inference

    with cpu_inference(threads, bf16):
        return [work(index) for index in range(count)]


@contextmanager
def intra_op() -> Iterator[None]:
    """`diarize` with its networks' batches one at a time on intra-op threads, its VAD blocks in turn."""
    from convoscope.pipeline import workers
    from convoscope.pipeline.diarize import segmentation, speaker_model

    saved = (speaker_model.map_torch, segmentation.map_torch, workers.map_threads)
    speaker_model.map_torch = segmentation.map_torch = _intra_op_map  # type: ignore[assignment]
    workers.map_threads = lambda work, count, threads: [work(i) for i in range(count)]  # type: ignore[assignment]
    try:
        yield
    finally:
        speaker_model.map_torch, segmentation.map_torch, workers.map_threads = saved  # type: ignore[assignment]


@contextmanager
def network(variant: str, before: Any, base: Any = None) -> Iterator[None]:
    """Run `diarize` with the earlier network for the `before` variant, another tree's for `base`."""
    from convoscope.pipeline.diarize import speaker_model

    if variant == "intra-op":
        with intra_op():
            yield
        return
    swapped = {"before": before, "base": base}.get(variant)
    if swapped is None:
        yield
        return
    current = speaker_model.get_model
    speaker_model.get_model = lambda: swapped  # type: ignore[assignment]
    try:
        yield
    finally:
        speaker_model.get_model = current  # type: ignore[assignment]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--minutes", type=float, default=2.0)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--variants", nargs="+", default=["before", "1.5/0.75"])
    parser.add_argument("--base-src", type=Path, default=None, help="source tree of the `base` variant")
    parser.add_argument(
        "--threads", type=int, default=1, help="threads of every variant but `one` (one thread)"
    )
    parser.add_argument(
        "--bf16",
        choices=("auto", "on", "off"),
        default="auto",
        help="bfloat16 encoder (auto: if the CPU has it)",
    )
    args = parser.parse_args()

    from convoscope.pipeline import decode
    from convoscope.pipeline.diarize import DiarizeSettings, diarize

    events = Events()
    events.install()
    print(
        f"diarize cost, {args.minutes} min, bf16 {args.bf16}, threads {args.threads}, {header()}", flush=True
    )
    with tempfile.TemporaryDirectory() as tmp:
        path = joined(
            Path(tmp) / "two.wav", args.minutes * 60, clips=("conv2_harvard.wav", "pyannote_sample.wav")
        )
        audio = decode.decode(path)
    precision = {} if args.bf16 == "auto" else {"bf16": args.bf16 == "on"}
    settings = {
        v: DiarizeSettings(**parse(v), **precision, threads=1 if v == "one" else args.threads)  # type: ignore[arg-type]
        for v in args.variants
    }
    before = before_model()
    base = base_model(args.base_src) if args.base_src else None
    for variant in args.variants:  # warm-up: models loaded, first calls made
        with network(variant, before, base):
            diarize(audio, settings=settings[variant])
    times: dict[str, list[float]] = {v: [] for v in args.variants}
    best: dict[str, tuple[float, dict[str, Any], int]] = {}
    for rnd in range(args.rounds):
        for variant in args.variants:
            with network(variant, before, base):
                started = time.perf_counter()
                result = diarize(audio, settings=settings[variant])
                took = time.perf_counter() - started
            finished = events.named("diarize.finished")[-1]
            times[variant].append(took)
            if variant not in best or took < best[variant][0]:
                best[variant] = (took, finished, len(result.speakers))
        print(
            f"  round {rnd + 1}: " + "  ".join(f"{v} {times[v][-1]:.2f} s" for v in args.variants), flush=True
        )
    base = args.variants[0]
    for variant in args.variants:
        took, finished, speakers = best[variant]
        ratios = [t / b for t, b in zip(times[variant], times[base], strict=True)]
        stages = " ".join(f"{s.removesuffix('_seconds')} {finished[s]:.2f}" for s in STAGES)
        print(
            f"{variant}: best {took:.2f} s (x{took / best[base][0]:.2f} of {base}; median round ratio"
            f" x{statistics.median(ratios):.2f}), windows {finished['windows']}, {speakers} speakers;"
            f" stages: {stages}"
        )
    print(f"after: {header()}")


if __name__ == "__main__":
    main()
