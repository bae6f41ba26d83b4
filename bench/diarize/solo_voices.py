"""Which cluster each reference speaker's solo speech is like: why a clip's count comes out wrong.

    .venv/bin/python bench/diarize/solo_voices.py CLIP [--told N]

CLIP is a clip name of `run.py clips` (with an RTTM). `diarize` runs as a job runs it, with the
window embeddings and their cluster labels captured as clustering returns them. Then every stretch
of 1 s or more where a reference speaker talks alone gets one CAM++ embedding of its own, and its
cosine to each cluster's centroid is printed: two people near the same centroid are one voice to
the embeddings; one person near two centroids is split. Also printed: windows per cluster, the
speakers that come back, and with `--told N` the same with `num_speakers=N`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import clip_paths, load_path, read_rttm

SOLO_SECONDS = 1.0
STEP = 0.01


def solo_stretches(
    reference: list[tuple[float, float, str]], seconds: float
) -> list[tuple[str, float, float]]:
    """(speaker, start, end) where one reference speaker talks alone for `SOLO_SECONDS` or more."""
    grid = np.arange(0.0, seconds, STEP)
    talking = {spk: np.zeros(len(grid), dtype=bool) for _, _, spk in reference}
    for start, end, spk in reference:
        talking[spk][(grid >= start) & (grid < end)] = True
    total = np.sum(list(talking.values()), axis=0)
    out = []
    for spk, mask in sorted(talking.items()):
        edges = np.flatnonzero(np.diff(np.r_[0, (mask & (total == 1)).astype(int), 0]))
        for first, last in zip(edges[::2], edges[1::2], strict=True):
            if (last - first) * STEP >= SOLO_SECONDS:
                out.append((spk, float(grid[first]), float(grid[last - 1] + STEP)))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("clip")
    parser.add_argument("--told", type=int, default=None)
    args = parser.parse_args()

    import convoscope.pipeline.diarize.engine as engine
    from convoscope.pipeline.diarize import speaker_model
    from convoscope.pipeline.diarize.cluster import centroids

    [(name, path, rttm)] = clip_paths([args.clip])
    assert rttm is not None, f"{name} has no reference"
    audio = load_path(path)
    captured: dict[str, np.ndarray] = {}
    clustering = engine.cluster

    def capture(x: np.ndarray, *rest: object, **named: object) -> np.ndarray:
        labels = clustering(x, *rest, **named)  # type: ignore[arg-type]
        captured["x"], captured["labels"] = x, labels
        return labels

    engine.cluster = capture  # type: ignore[assignment]
    result = engine.diarize(audio)
    x = captured["x"] / np.linalg.norm(captured["x"], axis=1, keepdims=True)
    means = centroids(x, captured["labels"])
    sizes = np.bincount(captured["labels"]).tolist()
    print(f"{name}: windows per cluster {sizes}, speakers {len(result.speakers)}")
    for spk, start, end in solo_stretches(read_rttm(rttm), len(audio) / 16_000):
        span = [(int(start * 16_000), int(end * 16_000))]
        emb = speaker_model.embed_windows(audio, span)
        emb = emb / np.linalg.norm(emb, axis=1, keepdims=True)
        cosines = np.round(emb @ means.T, 2)[0].tolist()
        print(f"  {spk:<8} {start:6.2f}-{end:6.2f} s  cosine to clusters {cosines}")
    if args.told is not None:
        told = engine.diarize(audio, num_speakers=args.told)
        print(
            f"told {args.told}: windows per cluster {np.bincount(captured['labels']).tolist()}, "
            f"speakers {len(told.speakers)}"
        )


if __name__ == "__main__":
    main()
