"""Spectral clustering of speaker embeddings with an eigengap estimate of the speaker count.

The method is NME-SC (Park et al., 2019, "Auto-tuning spectral clustering for speaker diarization
using normalized maximum eigengap"): the cosine affinity is pruned to each row's `p` nearest
neighbours, symmetrised, and the graph Laplacian's smallest eigenvalues give a speaker count at the
largest eigengap; `p` itself is chosen where (p / N) / (normalised max eigengap) is smallest, but
never below `min_neighbours`: overlapping windows are near-duplicates of their neighbours in time, so
a sparser graph links each window only to those and splits the recording by time, not by voice
(the engine sets it to twice the number of windows that overlap one window). K-means on
the first k eigenvectors gives the labels.

The eigengap cannot say "one speaker" reliably (and over-counts on short or out-of-domain audio), so
after clustering, clusters whose average-linkage cosine similarity is at least `merge_threshold` are
merged; a single voice ends up as one cluster. The threshold belongs to CAM++ embeddings of 1.5 s
windows: on the bench clips (reference turns, windows of one speaker only) the mean window-pair
similarity was 0.47-0.73 inside one voice and -0.06-0.31 across two (0.31: pyannote_sample's
similar voices). Then a cluster of a single window (a short reply) joins the most similar other
cluster unless it is unlike all of them (`absorb_small`). When the caller fixes the number of
speakers, nothing is estimated, merged or absorbed.

Cost: the affinity is `N x N` and the eigensolver `O(N^3)`, so at most `max_points` items are
clustered: beyond that, an evenly spaced sample of that many is clustered and every embedding takes
the label of the nearest cluster centroid (linear in N).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class ClusterSettings:
    """Knobs of the clustering; the defaults were tuned on the bench clips (see bench/diarize)."""

    max_points: int = 600
    min_neighbours: int = 4
    merge_threshold: float = 0.40
    min_cluster_windows: int = 2
    distinct_below: float = 0.10
    max_prune_ratio: float = 0.25
    prune_steps: int = 8
    seed: int = 0


def _normalise(x: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    return (x / np.maximum(norms, 1e-8)).astype(np.float64)


def _laplacian(affinity: np.ndarray, p: int) -> np.ndarray:
    """Unnormalised Laplacian of the affinity pruned to each row's p strongest links, binarised."""
    n = len(affinity)
    keep = np.argpartition(-affinity, kth=min(p, n - 1), axis=1)[:, : p + 1]  # p neighbours + self
    graph = np.zeros_like(affinity)
    np.put_along_axis(graph, keep, 1.0, axis=1)
    graph = 0.5 * (graph + graph.T)
    return np.diag(graph.sum(axis=1)) - graph


def _smallest_eigen(laplacian: np.ndarray, count: int) -> tuple[np.ndarray, np.ndarray]:
    from scipy.linalg import eigh

    n = len(laplacian)
    values, vectors = eigh(laplacian, subset_by_index=[0, min(count, n) - 1], driver="evr")
    return values, vectors


def _estimate(affinity: np.ndarray, max_speakers: int, settings: ClusterSettings) -> tuple[int, int]:
    """(speaker count, pruning p) by NME-SC; the count is at least 2 (see `merge_threshold`)."""
    n = len(affinity)
    top = max(2, min(max_speakers, n - 1))
    min_p = min(settings.min_neighbours, n - 1)
    max_p = max(min_p, int(n * settings.max_prune_ratio))
    candidates = sorted({int(p) for p in np.linspace(min_p, max_p, settings.prune_steps)})
    best: tuple[float, int, int] | None = None
    for p in candidates:
        lap = _laplacian(affinity, p)
        values, _ = _smallest_eigen(lap, top + 1)
        gaps = np.diff(values)
        lam_max = 2.0 * float(lap.diagonal().max())  # Gershgorin bound on the largest eigenvalue
        k = int(np.argmax(gaps[1:])) + 2 if len(gaps) > 1 else 2
        ratio = (p / n) / (float(gaps.max()) / max(lam_max, 1e-10) + 1e-10)
        if best is None or ratio < best[0]:
            best = (ratio, k, p)
    assert best is not None
    return best[1], best[2]


def _spectral(affinity: np.ndarray, k: int, p: int, seed: int) -> np.ndarray:
    from sklearn.cluster import KMeans

    _, vectors = _smallest_eigen(_laplacian(affinity, p), k)
    return KMeans(n_clusters=k, n_init=10, random_state=seed).fit_predict(vectors).astype(np.int64)


def centroids(x: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """L2-normalised mean embedding of each label 0..max(labels)."""
    k = int(labels.max()) + 1 if len(labels) else 0
    return _normalise(np.stack([x[labels == c].mean(axis=0) for c in range(k)]))


def _linkage(affinity: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Average-linkage similarity between clusters: the mean affinity over all cross pairs."""
    onehot = np.eye(int(labels.max()) + 1)[labels]
    sizes = onehot.sum(axis=0)
    return np.asarray((onehot.T @ affinity @ onehot) / np.outer(sizes, sizes))


def _merge_close(affinity: np.ndarray, labels: np.ndarray, threshold: float) -> np.ndarray:
    """Join the two most similar clusters (average linkage) while their similarity is >= `threshold`.

    Average linkage over single windows, not centroid similarity: centroids of two different voices
    can be closer than those of one voice recorded in two moods, while the typical pair of windows
    of one voice stays more alike than the typical pair across two voices.
    """
    labels = relabel(labels)
    while labels.max() > 0:
        sim = _linkage(affinity, labels)
        np.fill_diagonal(sim, -1.0)
        a, b = np.unravel_index(int(np.argmax(sim)), sim.shape)
        if sim[a, b] < threshold:
            break
        labels = relabel(np.where(labels == max(a, b), min(a, b), labels))
    return labels


def absorb_small(affinity: np.ndarray, labels: np.ndarray, settings: ClusterSettings) -> np.ndarray:
    """Clusters of fewer than `min_cluster_windows` windows join the most similar larger cluster.

    A short reply ("Okay.", "Thank you.") gives one or two windows, whose embeddings are noisy; on
    its own that is weak evidence of a new voice. Such a cluster stays apart only when its
    similarity (average linkage) to every larger cluster is below `distinct_below`.
    """
    labels = relabel(labels)
    sizes = np.bincount(labels)
    large = np.flatnonzero(sizes >= settings.min_cluster_windows)
    if len(large) == 0 or len(large) == len(sizes):
        return labels
    sim = _linkage(affinity, labels)
    for small in np.flatnonzero(sizes < settings.min_cluster_windows):
        target = large[int(np.argmax(sim[small, large]))]
        if sim[small, target] >= settings.distinct_below:
            labels = np.where(labels == small, target, labels)
    return relabel(labels)


def relabel(labels: np.ndarray) -> np.ndarray:
    """Labels renumbered 0.. in order of first appearance."""
    order: dict[int, int] = {}
    for label in labels.tolist():
        order.setdefault(label, len(order))
    return np.array([order[label] for label in labels.tolist()], dtype=np.int64)


def _cluster_points(
    x: np.ndarray, num_speakers: int | None, max_speakers: int, settings: ClusterSettings
) -> np.ndarray:
    n = len(x)
    if n == 1 or num_speakers == 1 or max_speakers == 1:
        return np.zeros(n, dtype=np.int64)
    affinity = np.clip(x @ x.T, 0.0, 1.0)
    if n <= 3:  # too few points for a graph: decide by similarity alone
        labels = np.arange(n) if num_speakers is None else np.arange(n) % num_speakers
        return _merge_close(affinity, labels, settings.merge_threshold if num_speakers is None else 2.0)
    k, p = _estimate(affinity, max_speakers, settings)
    if num_speakers is not None:
        k = min(num_speakers, n)
    labels = _spectral(affinity, k, p, settings.seed)
    if num_speakers is not None:
        return relabel(labels)
    return absorb_small(affinity, _merge_close(affinity, labels, settings.merge_threshold), settings)


def cluster(
    embeddings: np.ndarray,
    num_speakers: int | None = None,
    max_speakers: int = 10,
    settings: ClusterSettings = ClusterSettings(),
    only: np.ndarray | None = None,
) -> np.ndarray:
    """A speaker label (0..k-1, in order of first appearance) for each embedding.

    `only` (a boolean mask) clusters just those embeddings; the others take the label of the
    nearest cluster centroid (windows of overlapped speech: see `DiarizeSettings.max_overlap_share`).
    Beyond `settings.max_points` embeddings, an evenly spaced sample of that many is clustered and
    every embedding takes the label of the nearest sample cluster's centroid.
    """
    if len(embeddings) == 0:
        return np.zeros(0, dtype=np.int64)
    x = _normalise(embeddings)
    if only is not None and only.any() and not only.all():
        chosen = np.flatnonzero(only)
        labels = np.empty(len(x), dtype=np.int64)
        labels[chosen] = cluster(x[chosen], num_speakers, max_speakers, settings)
        rest = np.flatnonzero(~only)
        labels[rest] = np.argmax(x[rest] @ centroids(x[chosen], labels[chosen]).T, axis=1)
        return relabel(labels)
    if len(x) <= settings.max_points:
        return _cluster_points(x, num_speakers, max_speakers, settings)
    sample = np.linspace(0, len(x) - 1, settings.max_points).round().astype(np.int64)
    sample_labels = _cluster_points(x[sample], num_speakers, max_speakers, settings)
    labels = np.argmax(x @ centroids(x[sample], sample_labels).T, axis=1)
    return relabel(labels)
