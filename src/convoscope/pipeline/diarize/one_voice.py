"""Clusters that segmentation hears as one voice ("must-link" evidence), joined at a lower bar.

On telephone-band (8 kHz) audio, CAM++ windows of one voice are only about 0.5 alike (average
linkage) and windows of two people 0.33-0.39, so the clustering's `merge_threshold` (0.40) can leave
a cluster of one voice's stray windows apart, and no similarity bar alone tells the cases apart: on
the bench call lca_repairs49_c (float32 encoder) agent and caller scored 0.39, the agent and a third
cluster of 5 clean windows (4 of the agent's, mostly at the call's end) 0.33. Segmentation tells
them apart: a local speaker of one 10 s chunk talking alone, whose clean windows (90 % inside its
speech alone) fall into two clusters, says they are one voice. It is not proof: segmentation joins
two people into one local speaker at times (ami_dev00 at 16 and 8 kHz, ami_dev01; and with the
bfloat16 encoder, lca_repairs49_c's caller cluster took those stray windows, so its end joined
caller and agent). So two clusters are joined only when

- one local speaker's speech alone holds at least `min_windows` clean windows of each (3 windows,
  about 3 s; with 2, ami_trn08's two clusters of one person would join, its count falling to 2 of 4),
- at least one of them has no local speaker of its own (`own_share` of a local speaker's clean
  windows) anywhere in the recording: a voice of its own is heard alone somewhere (this keeps
  lca_repairs49_c's caller and agent apart under bfloat16),
- they are never the main clusters of two different local speakers of one chunk (cannot-link), and
- their average-linkage similarity is at least `threshold` (0.30: the people that segmentation
  joined on ami_dev00 and ami_dev01 scored 0.08-0.20).

Cost: one pass over the chunks (3 local speakers by the about 13 windows of each 10 s chunk) and one
similarity matrix of at most `max_points` clean windows (2.9 MB; an evenly spaced sample beyond):
0.25 s for an hour of windows (360 chunks, 4790 windows, load average 2).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from convoscope.pipeline.diarize.cluster import relabel
from convoscope.pipeline.diarize.segmentation import FRAME_SAMPLES, Activity, speaking_alone


@dataclass(frozen=True)
class OneVoiceSettings:
    """`min_windows`: clean windows of each cluster inside one local speaker's speech alone.
    `threshold`: average-linkage cosine two such clusters need. `inside`: share of a window's frames
    that must be the local speaker's speech alone. `own_share`: share of a local speaker's clean
    windows that make it a cluster's own. `max_points`: clean windows compared at most."""

    min_windows: int = 3
    threshold: float = 0.30
    inside: float = 0.9
    own_share: float = 0.8
    max_points: int = 600


def _counts(
    activity: Activity, spans: np.ndarray, labels: np.ndarray, clean: np.ndarray, settings: OneVoiceSettings
) -> list[list[np.ndarray]]:
    """Per chunk, per local speaker with clean windows: how many of them each cluster has."""
    n_voices = int(labels.max()) + 1
    frames = np.stack([spans[:, 0] // FRAME_SAMPLES, -(-spans[:, 1] // FRAME_SAMPLES)], axis=1)
    out = []
    for start, active in zip(activity.starts, activity.active, strict=True):
        first = round(int(start) / FRAME_SAMPLES)
        alone = speaking_alone(active)
        inside = np.flatnonzero((frames[:, 0] >= first) & (frames[:, 1] <= first + len(active)) & clean)
        chunk = []
        for k in range(alone.shape[1]):
            counts = np.zeros(n_voices, dtype=np.int64)
            for i in inside:
                a, b = frames[i] - first
                if b > a and alone[a:b, k].mean() >= settings.inside:
                    counts[labels[i]] += 1
            if counts.any():
                chunk.append(counts)
        out.append(chunk)
    return out


def join_one_voice(
    embeddings: np.ndarray,
    labels: np.ndarray,
    activity: Activity,
    spans: np.ndarray,
    clean: np.ndarray | None = None,
    settings: OneVoiceSettings = OneVoiceSettings(),
) -> np.ndarray:
    """`labels` (of the windows at sample `spans`) with the clusters segmentation hears as one voice
    joined, most similar pair first; renumbered 0.. in order of first appearance."""
    if len(labels) == 0 or labels.max() == 0:
        return labels
    clean = np.ones(len(labels), dtype=bool) if clean is None else clean
    n_voices = int(labels.max()) + 1
    must = np.zeros((n_voices, n_voices), dtype=bool)
    cannot = np.zeros((n_voices, n_voices), dtype=bool)
    own = np.zeros(n_voices, dtype=bool)
    for chunk in _counts(activity, spans, labels, clean, settings):
        main = [int(np.argmax(counts)) for counts in chunk]
        for i, a in enumerate(main):
            for b in main[i + 1 :]:
                cannot[a, b] = cannot[b, a] = a != b
        for counts in chunk:
            own[counts >= settings.own_share * counts.sum()] = True
            enough = np.flatnonzero(counts >= settings.min_windows)
            must[np.ix_(enough, enough)] = True
    np.fill_diagonal(must, False)
    if not (must & ~cannot).any():
        return labels
    chosen = np.flatnonzero(clean)
    if len(chosen) > settings.max_points:  # an evenly spaced sample, as the clustering takes
        chosen = chosen[np.linspace(0, len(chosen) - 1, settings.max_points).round().astype(np.int64)]
    x = embeddings[chosen] / np.maximum(np.linalg.norm(embeddings[chosen], axis=1, keepdims=True), 1e-8)
    onehot = np.eye(n_voices)[labels[chosen]]
    sizes = np.maximum(onehot.sum(axis=0), 1)
    linkage = (onehot.T @ np.clip(x @ x.T, 0.0, 1.0) @ onehot) / np.outer(sizes, sizes)
    group = np.arange(n_voices)
    for flat in np.argsort(-linkage, axis=None):
        a, b = (int(i) for i in np.unravel_index(int(flat), linkage.shape))
        if linkage[a, b] < settings.threshold:
            break
        if a < b and must[a, b] and group[a] != group[b]:
            in_a, in_b = group == group[a], group == group[b]
            if not cannot[np.ix_(in_a, in_b)].any() and not (own[in_a].any() and own[in_b].any()):
                group[in_b] = group[a]
    return relabel(group[labels])
