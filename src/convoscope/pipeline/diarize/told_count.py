"""A told speaker count kept when segmentation drops a cluster: the widest voice split instead.

Told N speakers, clustering makes N clusters, but a cluster can still vanish from the output: the
frame speakers come from segmentation's local speakers matched to the clusters (`reconcile.py`), and a
cluster of a few windows that no local speaker matches gets no run of its own. On AMI EN2002a's
opening told 4, the fourth cluster was three windows at the recording's two ends (0-1.5 s, 28-30 s,
edge windows of mixed voices), which no local speaker matched, and 3 speakers came back.

So while fewer than N voices are heard in the output, the clusters that were not heard give their
windows to the nearest heard cluster, and the heard cluster whose clean windows split into the two
most distinct halves (lowest average-linkage similarity between halves of a 2-way spectral split) is
split, if that adds a heard voice; each other heard cluster is tried in turn when it does not. This
re-splits what the voices share rather than keeping what segmentation cannot hear. It gives up
(fewer than N come back) when there are fewer clean windows than speakers or no split is heard.

Cost: up to N rounds, each a 2-way clustering of each cluster's windows and one reconciliation of
the frames (linear in the recording); nothing at all when the told count already comes back.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from convoscope.pipeline.diarize.cluster import ClusterSettings, centroids, cluster, relabel

# Labels -> the labels that the output holds a turn of (the engine's reconciliation and turns).
Heard = Callable[[np.ndarray], set[int]]


def _nearest_heard(x: np.ndarray, labels: np.ndarray, heard: set[int], clean: np.ndarray) -> np.ndarray:
    """Windows of clusters not heard take the label of the nearest heard cluster's clean centroid."""
    keep = sorted(heard)
    pool = clean & np.isin(labels, keep)
    pool = pool if all((pool & (labels == k)).any() for k in keep) else np.isin(labels, keep)
    means = centroids(x[pool], np.searchsorted(keep, labels[pool]))
    out = labels.copy()
    lost = ~np.isin(labels, keep)
    out[lost] = np.asarray(keep)[np.argmax(x[lost] @ means.T, axis=1)]
    return relabel(out)


def _split(
    x: np.ndarray, labels: np.ndarray, target: int, clean: np.ndarray, settings: ClusterSettings
) -> tuple[np.ndarray, float] | None:
    """`labels` with cluster `target` split in two, and the similarity of the halves; None if it cannot."""
    members = np.flatnonzero(labels == target)
    chosen = members[clean[members]] if clean[members].sum() >= 4 else members
    if len(chosen) < 4:
        return None
    halves = cluster(x[chosen], num_speakers=2, settings=settings)
    if halves.max() < 1:
        return None
    means = centroids(x[chosen], halves)
    side = np.argmax(x[members] @ means.T, axis=1)
    side[np.searchsorted(members, chosen)] = halves
    a, b = x[chosen[halves == 0]], x[chosen[halves == 1]]
    similarity = float(np.clip(a @ b.T, 0.0, 1.0).mean())
    out = labels.copy()
    out[members[side == 1]] = int(labels.max()) + 1
    return relabel(out), similarity


def honour_count(
    embeddings: np.ndarray,
    labels: np.ndarray,
    clean: np.ndarray | None,
    num_speakers: int,
    heard: Heard,
    settings: ClusterSettings = ClusterSettings(),
) -> np.ndarray:
    """Labels whose output holds `num_speakers` voices where a split can give them, else the best found.

    `heard(labels)` says which labels the output would hold a turn of; the labels come back unchanged
    when it already holds `num_speakers` of them.
    """
    if len(labels) == 0:
        return labels
    x = embeddings / np.maximum(np.linalg.norm(embeddings, axis=1, keepdims=True), 1e-8)
    clean = np.ones(len(labels), dtype=bool) if clean is None else clean
    voices = heard(labels)
    for _ in range(num_speakers):
        if len(voices) >= num_speakers or not voices:
            break
        base = _nearest_heard(x, labels, voices, clean)
        splits = [s for k in range(int(base.max()) + 1) if (s := _split(x, base, k, clean, settings))]
        for candidate, _similarity in sorted(splits, key=lambda s: s[1]):
            found = heard(candidate)
            if len(found) > len(voices):
                labels, voices = candidate, found
                break
        else:
            break
    return labels
