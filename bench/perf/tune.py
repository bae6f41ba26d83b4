"""Interleaved in-process timings of the knobs behind the defaults: decoder layout, batch size and
MiniLM threads.

    .venv/bin/python bench/perf/tune.py [--seconds 60] [--rounds 3] [--batch 4 8 16]
        [--layouts 1:2 2:1 2:2]

`layout S:T`: `process_media` over a `--seconds` file of clips joined with 0.3 s gaps, with the model
loaded as S decoding streams of T threads each (the file is cut into S parts decoded side by side).
`batch`: the same with the default layout, per batch size.
`insights threads`: the MiniLM embedding of the file's sentences (what insights spend most on) with
torch limited to 1 thread and to all cores. Variants alternate each round; the best round is kept.
`--short`: `transcribe` over jfk.flac and dense/paused files of the given lengths on the default
layout (parts side by side, or one single-threaded stream when too short to split) against the
model loaded as one stream on every core (`ModelPool.one_stream`, what jobs use for short audio).
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from perfkit import DATA, ROOT, header, joined, quiet


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--batch", type=int, nargs="+", default=[4, 8, 16])
    parser.add_argument("--layouts", nargs="+", default=["1:2", "2:1", "2:2"], help="streams:threads")
    parser.add_argument("--short", type=float, nargs="*", help="seconds of the short files (e.g. 20 30)")
    args = parser.parse_args()
    quiet()
    if args.short is not None:
        short_clips(args.short, args.rounds)
        return
    import torch

    from convoscope.pipeline.audio_job import process_media
    from convoscope.pipeline.models import ModelPool
    from convoscope.pipeline.nlp import default_models
    from convoscope.pipeline.transcribe import TranscriptionOptions

    pool = ModelPool(ROOT / "data" / "models")
    layouts = {
        name: ModelPool(pool.models_dir, streams=int(name.split(":")[0]), cpu_threads=int(name.split(":")[1]))
        for name in args.layouts
    }
    models = default_models()
    key = pool.key()
    print(f"tune default layout {key.streams}:{key.cpu_threads} {header()}", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        path = joined(Path(tmp) / "dense.wav", args.seconds)
        base = TranscriptionOptions()
        texts = [s.text for s in process_media(path, base, pool).sentences]  # also warms everything
        for layout_pool in layouts.values():
            process_media(path, base, layout_pool)
        models.embed(texts)
        best: dict[str, float] = {}
        cores = os.cpu_count() or 1
        for rnd in range(args.rounds):
            for name, layout_pool in layouts.items():
                started = time.monotonic()
                process_media(path, base, layout_pool)
                took = time.monotonic() - started
                best[f"layout {name}"] = min(best.get(f"layout {name}", 1e9), took)
                print(
                    f"  round {rnd + 1} layout {name:<4} {took:6.2f} s  RTF {took / args.seconds:.3f}",
                    flush=True,
                )
            for size in args.batch:
                started = time.monotonic()
                process_media(path, replace(base, batch_size=size), pool)
                took = time.monotonic() - started
                best[f"batch {size}"] = min(best.get(f"batch {size}", 1e9), took)
                print(
                    f"  round {rnd + 1} batch {size:<3} {took:6.2f} s  RTF {took / args.seconds:.3f}",
                    flush=True,
                )
            for threads in sorted({1, cores}):
                torch.set_num_threads(threads)
                started = time.monotonic()
                for _ in range(5):
                    models.embed(texts)
                took = (time.monotonic() - started) / 5
                best[f"minilm {threads} thr"] = min(best.get(f"minilm {threads} thr", 1e9), took)
                print(
                    f"  round {rnd + 1} minilm threads {threads}: {took * 1000:6.1f} ms, {len(texts)} sents"
                )
    print(f"best of {args.rounds} ({header()}):")
    for name, took in best.items():
        print(f"  {name:<14} {took:7.3f} s")


def short_clips(lengths: list[float], rounds: int) -> None:
    from convoscope.pipeline import media
    from convoscope.pipeline.models import ModelPool
    from convoscope.pipeline.transcribe import transcribe

    pool = ModelPool(ROOT / "data" / "models")
    model, one_stream = pool.get(), pool.one_stream()
    if one_stream is None:
        raise SystemExit(f"the default layout is one stream already ({header()})")
    wide = one_stream()
    print(f"tune --short: {pool.key().streams} streams x {pool.key().cpu_threads} thread vs 1 x "
          f"{pool.key(streams=1).cpu_threads} {header()}", flush=True)  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        clips = {"jfk.flac": media.decode(DATA / "jfk.flac")}
        for seconds in lengths:
            for gap in ("dense", "paused"):
                path = joined(Path(tmp) / f"{gap}{seconds}.wav", seconds, gap=gap)
                clips[f"{gap} {seconds:g} s"] = media.decode(path)
        for audio in clips.values():  # warm both
            transcribe(model, audio)
            transcribe(wide, audio)
        best: dict[tuple[str, str], float] = {}
        for _ in range(rounds):
            for name, audio in clips.items():
                for variant, decoder in (("streams", model), ("one stream", wide)):
                    started = time.monotonic()
                    transcribe(decoder, audio)
                    took = time.monotonic() - started
                    best[(name, variant)] = min(best.get((name, variant), 1e9), took)
    print(f"best of {rounds} ({header()}):")
    for name in clips:
        streams, single = best[(name, "streams")], best[(name, "one stream")]
        print(f"  {name:<14} streams {streams:6.2f} s  one stream {single:6.2f} s  "
              f"{streams / single:.2f}x")  # fmt: skip


if __name__ == "__main__":
    main()
