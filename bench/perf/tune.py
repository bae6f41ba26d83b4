"""Interleaved in-process timings of the knobs behind the defaults: compute type, decoder layout,
batch size, the one-stream copy for short audio, and MiniLM threads.

    .venv/bin/python bench/perf/tune.py [--seconds 60] [--rounds 3] [--compute-types int8 float32]
        [--layouts 1:2 2:1] [--batch 1 2 4 8] [--short 20 30 45]

`type T`: `process_media` over a `--seconds` file of clips joined with 0.3 s gaps, with the default
layout and the model loaded as compute type T. `layout S:T`: the same with the model loaded as S
decoding streams of T threads each (the default compute type). `batch N`: the default layout with
N chunks per batch. `minilm`: the MiniLM embedding of the file's sentences (what insights spend
most on) with torch on 1 thread and on all cores. Variants alternate each round; the best is kept.
`--whole-encoder`: each `batch N` also as `batch N whole`, its batches encoded at once as before
round 8 (not one chunk at a time, `pipeline/encoder_rows.py`). Wall and process CPU seconds are
printed (CPU time stretches far less than wall time on a machine shared with other work). `--short`:
`transcribe` over jfk.flac and dense/paused files of the given lengths on the default layout against
the model loaded as one stream on every core (what `ModelPool.one_stream` offers for short audio),
for each of `--compute-types`.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from unittest import mock

from perfkit import DATA, ROOT, header, joined, quiet

MODELS = ROOT / "data" / "models"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--compute-types", nargs="*", default=["int8", "float32"])
    parser.add_argument("--layouts", nargs="*", default=["1:2", "2:1"], help="streams:threads")
    parser.add_argument("--batch", type=int, nargs="+", default=[1, 2, 4, 8])
    parser.add_argument("--whole-encoder", action="store_true", help="also batches encoded at once")
    parser.add_argument("--short", type=float, nargs="*", help="seconds of the short files (e.g. 20 30)")
    args = parser.parse_args()
    quiet()
    if args.short is not None:
        short_clips(args.short, args.rounds, args.compute_types)
        return
    knobs(args)


def knobs(args: argparse.Namespace) -> None:
    import torch

    from convoscope.pipeline import chunk_decoder
    from convoscope.pipeline.encoder_rows import encoder_rows
    from convoscope.pipeline.models.pool import ModelPool
    from convoscope.pipeline.nlp import default_models
    from convoscope.pipeline.recognize import process_media
    from convoscope.pipeline.transcribe import TranscriptionOptions

    pool = ModelPool(MODELS)
    key = pool.key()
    print(f"tune default {key.compute_type} layout {key.streams}:{key.cpu_threads} {header()}", flush=True)
    base = TranscriptionOptions()
    variants: dict[str, tuple[ModelPool, TranscriptionOptions]] = {}
    whole = {f"batch {size} whole" for size in args.batch} if args.whole_encoder else set()
    for ctype in args.compute_types:
        variants[f"type {ctype}"] = (ModelPool(MODELS, compute_type=ctype), base)
    for layout in args.layouts:
        streams, threads = (int(part) for part in layout.split(":"))
        variants[f"layout {layout}"] = (ModelPool(MODELS, streams=streams, cpu_threads=threads), base)
    for size in args.batch:
        variants[f"batch {size}"] = (pool, replace(base, batch_size=size))
        if args.whole_encoder:
            variants[f"batch {size} whole"] = (pool, replace(base, batch_size=size))
    models = default_models()
    best: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        path = joined(Path(tmp) / "dense.wav", args.seconds)
        texts = [s.text for s in process_media(path, base, pool).sentences]  # also warms everything
        for variant_pool, options in variants.values():
            process_media(path, options, variant_pool)
        models.embed(texts)
        for rnd in range(args.rounds):
            for name, (variant_pool, options) in variants.items():
                encoder = (lambda model: model) if name in whole else encoder_rows
                with mock.patch.object(chunk_decoder, "encoder_rows", encoder):
                    started, cpu = time.monotonic(), time.process_time()
                    process_media(path, options, variant_pool)
                    took, cpu = time.monotonic() - started, time.process_time() - cpu
                best[name] = min(best.get(name, 1e9), took)
                best[f"{name} CPU"] = min(best.get(f"{name} CPU", 1e9), cpu)
                print(
                    f"  round {rnd + 1} {name:<18} {took:6.2f} s  RTF {took / args.seconds:.3f}"
                    f"  CPU {cpu:6.2f} s",
                    flush=True,
                )
            for threads in sorted({1, os.cpu_count() or 1}):
                torch.set_num_threads(threads)
                started = time.monotonic()
                for _ in range(5):
                    models.embed(texts)
                took = (time.monotonic() - started) / 5
                best[f"minilm {threads} thr"] = min(best.get(f"minilm {threads} thr", 1e9), took)
    print(f"best of {args.rounds}, {args.seconds:g} s of dense speech ({header()}):")
    for name, took in best.items():
        print(f"  {name:<20} {took:7.3f} s")


def short_clips(lengths: list[float], rounds: int, compute_types: list[str]) -> None:
    from convoscope.pipeline import decode
    from convoscope.pipeline.models.pool import ModelPool
    from convoscope.pipeline.transcribe import transcribe

    decoders: dict[tuple[str, str], Callable[..., object]] = {}
    for ctype in compute_types:
        usual = ModelPool(MODELS, compute_type=ctype)
        if usual.key().streams == 1:
            raise SystemExit(f"the default layout is one stream already ({header()})")
        streams, wide = usual.get(), ModelPool(MODELS, compute_type=ctype, streams=1).get()
        decoders[(ctype, "streams")] = lambda audio, m=streams: transcribe(m, audio)
        decoders[(ctype, "one stream")] = lambda audio, m=wide: transcribe(m, audio)
    key = ModelPool(MODELS).key()
    print(f"tune --short: {key.streams} streams x {key.cpu_threads} thread vs 1 stream x "
          f"{ModelPool(MODELS).key(streams=1).cpu_threads} threads {header()}", flush=True)  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        clips = {"jfk.flac": decode.decode(DATA / "jfk.flac")}
        for seconds in lengths:
            for gap in ("dense", "paused"):
                path = joined(Path(tmp) / f"{gap}{seconds}.wav", seconds, gap=gap)
                clips[f"{gap} {seconds:g} s"] = decode.decode(path)
        for decode in decoders.values():  # warm every decoder
            decode(clips["jfk.flac"])
        best: dict[tuple[str, str, str], float] = {}
        for _ in range(rounds):
            for name, audio in clips.items():
                for (ctype, variant), decode in decoders.items():
                    started = time.monotonic()
                    decode(audio)
                    took = time.monotonic() - started
                    best[(name, ctype, variant)] = min(best.get((name, ctype, variant), 1e9), took)
    print(f"best of {rounds} ({header()}):")
    for name in clips:
        for ctype in compute_types:
            streams, single = best[(name, ctype, "streams")], best[(name, ctype, "one stream")]
            print(f"  {name:<14} {ctype:<8} streams {streams:6.2f} s  one stream {single:6.2f} s  "
                  f"one stream is {streams / single:.2f}x as fast")  # fmt: skip


if __name__ == "__main__":
    main()
