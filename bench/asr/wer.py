"""WER of the speech pipeline (`process_media`) on the shared clips that have transcripts.

    .venv/bin/python bench/asr/wer.py [--models base tiny.en] [--decoders batched sequential]

Scoring follows ../shared/data/README.md; "overall" pools the word errors of every clip (and channel).
"""

from __future__ import annotations

import argparse
import logging
import time

import jiwer
import structlog
from common import CLIPS, DATA, models_dir, normalize, reference

from convoscope.pipeline.models.pool import ModelPool
from convoscope.pipeline.recognize import process_media
from convoscope.pipeline.transcribe import TranscriptionOptions


def run(pool: ModelPool, model: str, batched: bool, beam_size: int) -> float:
    refs: list[str] = []
    hyps: list[str] = []
    for clip in CLIPS:
        options = TranscriptionOptions(
            model=model,
            beam_size=beam_size,
            batched=batched,
            mode="phone" if clip.mode == "phone" else "default",
            separate_channels=clip.per_channel,
        )
        started = time.monotonic()
        result = process_media(DATA / clip.file, options, pool)
        took = time.monotonic() - started
        for channel, ref_file in enumerate(clip.references):
            hyp = " ".join(s.text for s in result.sentences if s.channel == channel)
            ref, hyp = normalize(reference(ref_file)), normalize(hyp)
            refs.append(ref)
            hyps.append(hyp)
            label = clip.name + (f"[{channel}]" if clip.per_channel else "")
            print(f"  {label:<16} WER {100 * jiwer.wer(ref, hyp):5.1f} %   ({took:.1f} s)")
            if ref != hyp:
                print(f"      ref: {ref}\n      hyp: {hyp}")
    overall = 100 * jiwer.wer(refs, hyps)
    print(f"  {'overall':<16} WER {overall:5.1f} %")
    return overall


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--models", nargs="+", default=["base", "tiny.en"])
    parser.add_argument("--decoders", nargs="+", default=["batched", "sequential"])
    parser.add_argument("--beam-size", type=int, default=5)
    args = parser.parse_args()
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))
    pool = ModelPool(models_dir())
    summary = []
    for model in args.models:
        for decoder in args.decoders:
            print(f"{model} / {decoder} (beam {args.beam_size}, {pool.key(model).compute_type})")
            summary.append((model, decoder, run(pool, model, decoder == "batched", args.beam_size)))
    print("\nsummary")
    for model, decoder, wer in summary:
        print(f"  {model:<8} {decoder:<10} {wer:5.1f} %")


if __name__ == "__main__":
    main()
