"""Who speaks in each 16.875 ms frame: segmentation's local speakers mapped to the clustered voices.

Clustering labels every 1.5 s embedding window with a voice (a global speaker); segmentation says per
frame which of its (per chunk) local speakers talk, with sharp boundaries and overlap. Each chunk's
local speakers are matched one-to-one (Hungarian) to the voices whose windows cover the frames where
that local speaker talks alone, so a chunk can never give one voice's speech to two voices. The
matched activities of all chunks are averaged with a Hamming taper (a frame counts most in the chunk
that has it near its centre, as in pyannote.audio 3.x), and so is the number of people talking. Each
frame then has its `count` speakers: the voices with the highest averaged activity.

A frame inside a Silero speech region counts at least one speaker (the segmentation model misses
some speech, on 8 kHz calls in particular); a frame where no chunk's speaker was matched falls back
to the windows' own vote.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from convoscope.pipeline.diarize.regions import Region, Window
from convoscope.pipeline.diarize.segmentation import (
    FRAME_STEP,
    FRAMES_PER_CHUNK,
    SAMPLE_RATE,
    Activity,
    speaking_alone,
)

HOP = round(FRAME_STEP * SAMPLE_RATE)  # 270 samples
MIXED = -2  # a local speaker whose frames the windows give to several voices
PURITY = 0.8
SMEARED_PURITY = 0.6
MIN_ALONE = 10  # frames (0.17 s) a local speaker must talk alone to be matched by its own frames


def window_evidence(
    windows: Sequence[Window], labels: np.ndarray, n_frames: int, n_voices: int
) -> np.ndarray:
    """(n_frames, n_voices): the Hann-tapered votes of the windows covering each frame."""
    evidence = np.zeros((n_frames, n_voices), dtype=np.float32)
    for window, label in zip(windows, labels, strict=True):
        first, last = window.start // HOP, min(n_frames, -(-window.end // HOP))
        if first < last:
            evidence[first:last, label] += np.hanning(last - first + 2)[1:-1]
    return evidence


def _match(active: np.ndarray, evidence: np.ndarray, spans: np.ndarray, labels: np.ndarray) -> list[int]:
    """Voice (or -1, or MIXED) per local speaker of one chunk, one-to-one where the windows agree.

    `spans` are the (first, end) frames, relative to the chunk, of the windows inside it. A window
    that lies (90 %) inside the frames where a local speaker talks alone is clean evidence of its
    voice; windows straddling a change are not (their 1.5 s smear across it). A local speaker with
    clean windows of two voices (the second at least 1 - PURITY of them) was joined by the model
    from two people the embeddings tell apart: MIXED. Without clean windows, the frame votes decide.
    """
    from scipy.optimize import linear_sum_assignment

    alone = speaking_alone(active)
    n_local, n_voices = active.shape[1], evidence.shape[1]
    clean = np.zeros((n_local, n_voices), dtype=np.float32)
    for (first, end), label in zip(spans, labels, strict=True):
        inside = alone[first:end].mean(axis=0) >= 0.9
        clean[inside, label] += 1
    share = evidence / np.maximum(evidence.sum(axis=1, keepdims=True), 1e-9)
    use = np.where((alone.sum(axis=0) >= MIN_ALONE)[:, None], alone.T, active.T)  # (local, frames)
    score = np.where(
        clean.sum(axis=1, keepdims=True) > 0, clean * FRAMES_PER_CHUNK, use.astype(np.float32) @ share
    )
    mapping = [-1] * n_local
    talking = [k for k in range(n_local) if active[:, k].any() and score[k].sum() > 0]
    if not talking:
        return mapping
    rows, cols = linear_sum_assignment(-score[talking])
    for row, col in zip(rows, cols, strict=True):
        mapping[talking[row]] = int(col)
    for k in talking:  # more local speakers than voices: the extra one joins its best voice
        if mapping[k] < 0:
            mapping[k] = int(np.argmax(score[k]))
        if clean[k].sum() >= 2:
            mixed = clean[k, mapping[k]] < PURITY * clean[k].sum()
        else:  # frame votes include the smear of windows across each change: a lower bar
            votes = use[k].astype(np.float32) @ share
            mixed = votes.max() < SMEARED_PURITY * votes.sum()
        if mixed:
            mapping[k] = MIXED
    return mapping


def _split(active: np.ndarray, evidence: np.ndarray, mapped: np.ndarray) -> None:
    """A mixed local speaker: each of its runs to the voice of most windows there if clear, else per frame."""
    edges = np.flatnonzero(np.diff(np.concatenate([[0], active.astype(np.int8), [0]])))
    for first, end in zip(edges[::2], edges[1::2], strict=True):
        share = evidence[first:end] / np.maximum(evidence[first:end].sum(axis=1, keepdims=True), 1e-9)
        votes = share.sum(axis=0)
        if votes.sum() <= 0:
            continue
        if votes.max() >= PURITY * votes.sum():
            mapped[first:end, int(np.argmax(votes))] = 1
        else:
            rows = first + np.flatnonzero(evidence[first:end].max(axis=1) > 0)
            mapped[rows, np.argmax(evidence[rows], axis=1)] = 1


def frame_speakers(
    activity: Activity,
    windows: Sequence[Window],
    labels: np.ndarray,
    regions: Sequence[Region],
    n_samples: int,
) -> np.ndarray:
    """(n_frames, n_voices) 0/1: who talks in each frame (frame j starts at sample j * 270)."""
    n_voices = int(labels.max()) + 1 if len(labels) else 1
    n_frames = -(-n_samples // HOP)
    evidence = window_evidence(windows, labels, n_frames, n_voices)
    taper = np.hamming(FRAMES_PER_CHUNK).astype(np.float32)
    voices = np.zeros((n_frames, n_voices), dtype=np.float32)
    count = np.zeros(n_frames, dtype=np.float32)
    weight = np.zeros(n_frames, dtype=np.float32)
    spans = np.asarray([(w.start // HOP, -(-w.end // HOP)) for w in windows], dtype=np.int64).reshape(-1, 2)
    for start, active in zip(activity.starts, activity.active, strict=True):
        first = round(start / HOP)
        last = min(n_frames, first + FRAMES_PER_CHUNK)
        part = active[: last - first]
        mapped = np.zeros((last - first, n_voices), dtype=np.float32)
        local_evidence = evidence[first:last]
        inside = (spans[:, 0] >= first) & (spans[:, 1] <= last)
        for k, voice in enumerate(_match(part, local_evidence, spans[inside] - first, labels[inside])):
            if voice >= 0:
                mapped[:, voice] = np.maximum(mapped[:, voice], part[:, k])
            elif voice == MIXED:
                _split(part[:, k], local_evidence, mapped)
        voices[first:last] += taper[: last - first, None] * mapped
        count[first:last] += taper[: last - first] * part.sum(axis=1)
        weight[first:last] += taper[: last - first]
    weight = np.maximum(weight, 1e-9)
    voices /= weight[:, None]
    people = np.minimum(np.rint(count / weight), 2).astype(np.int8)
    for region in regions:
        lo, hi = region.start // HOP, -(-region.end // HOP)
        people[lo:hi] = np.maximum(people[lo:hi], 1)
    unmatched = voices.max(axis=1) <= 0
    voices[unmatched] = evidence[unmatched]
    del evidence
    out = np.zeros((n_frames, n_voices), dtype=np.uint8)
    for rank in range(min(2, n_voices)):  # the loudest voice, then the next one where two talk
        best = np.argmax(voices, axis=1)
        rows = np.flatnonzero((people > rank) & (voices[np.arange(n_frames), best] > 0))
        out[rows, best[rows]] = 1
        voices[np.arange(n_frames), best] = -1.0
    return out
