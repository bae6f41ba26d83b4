"""Smoothing of spurious speaker changes inside sentences (`diarize/fragments.py`): word attribution
and sentence count per clip with it off, at the defaults and with wider or narrower rules.

    .venv/bin/python bench/diarize/fragments.py [--clips NAME ...]

One `diarize` per clip; the words are the cached Whisper `base` words of `run.py clips` (run that
first: it transcribes and caches them). `pooled` is the share of all words attributed right.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from bench.diarize.run import clip_paths, load_path, read_rttm, transcribe_cached
from tests.fixtures.diarization import attribution

VARIANTS = {
    "off": None,
    "default": {},
    "1 word": {"max_words": 1},
    "0.8 s": {"max_seconds": 0.8},
    "3 words 1 s": {"max_words": 3, "max_seconds": 1.0},
    "gap 0.5": {"max_gap": 0.5},
}


def main() -> None:
    from convoscope.pipeline.diarize import assign_speakers, diarize
    from convoscope.pipeline.diarize.fragments import FragmentSettings
    from convoscope.pipeline.segment import segment_words
    from convoscope.pipeline.types import Word

    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--clips", nargs="*", default=[])
    args = parser.parse_args()
    print("clip                     " + " ".join(f"{name:>16}" for name in VARIANTS))
    pooled = {name: [0.0, 0] for name in VARIANTS}
    for name, path, rttm in clip_paths(args.clips):
        if rttm is None:
            continue
        audio = load_path(path)
        turns = diarize(audio).turns
        raw, _ = transcribe_cached(None, name, audio, "base")
        words = [Word(text, start, end) for text, start, end in raw]
        reference = read_rttm(rttm)
        cells = []
        for variant, knobs in VARIANTS.items():
            settings = None if knobs is None else FragmentSettings(**knobs)
            labelled = assign_speakers(words, turns, settings)
            share = attribution([((w.start + w.end) / 2, w.speaker or "") for w in labelled], reference)
            pooled[variant][0] += share * len(labelled)
            pooled[variant][1] += len(labelled)
            cells.append(f"{share:.3f} / {len(segment_words(labelled)):>3} s")
        print(f"{name:<24} " + " ".join(f"{cell:>16}" for cell in cells))
    print("pooled                   " + " ".join(f"{a / max(n, 1):>16.4f}" for a, n in pooled.values()))


if __name__ == "__main__":
    main()
