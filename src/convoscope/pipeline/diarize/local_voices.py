"""People who talk little, heard apart by segmentation's local speakers ("cannot-link" evidence).

Clustering 1.5 s windows misses people who talk little: their few windows join a louder voice. But
segmentation-3.0 separates up to three local speakers in each 10 s chunk, and two local speakers of
one chunk are two people unless the model split one voice (it sometimes does, on monologues and on
8 kHz calls). So each local speaker with enough speech of its own (frames where it alone talks, their
edges trimmed) gets a CAM++ embedding of that speech, and a chunk whose local speakers are pairwise
unlike (cosine below `distinct_below`) proves that many people. The recording has at least the
largest such number of any chunk (pyannote.audio's pipeline keeps the same pairs apart in its
clustering). When that is more than the clusters found, the voices of that chunk least like every
cluster become clusters of their own, taking the windows more like them than like their own
cluster (`add_voices`). `distinct_below` and `min_alone` were set on the bench clips
(bench/diarize/run.py, `LocalSettings`): of the pairs of local speakers in one chunk with 1 s alone
each, the one pair of a single voice (on a call) scored 0.52, pairs of two people -0.07 to 0.50;
shorter speech is not trusted (one voice scored 0.10 and 0.15 with 0.5 s and 0.8 s alone). So 0.2
misses many pairs of people but split no voice.

Cost: only chunks with more local speakers talking alone for `min_alone` than the clusters found
are embedded, one `length` s embedding per such speaker; of the 17 bench clips only ami_trn06 (two,
beside its 27 windows' embeddings: 0.24 s of its 3.1 s, load average 11) was. Where nothing is
embedded, finding the speech alone takes under 1 ms per minute of audio.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

import numpy as np

from convoscope.pipeline.diarize import speaker_model
from convoscope.pipeline.diarize.cluster import centroids
from convoscope.pipeline.diarize.segmentation import FRAME_SAMPLES, SAMPLE_RATE, Activity, speaking_alone
from convoscope.pipeline.workers import Threads

# A frame's receptive field (61.9 ms) is centred this many samples after the frame's start sample.
CENTRE = 360


@dataclass(frozen=True)
class LocalSettings:
    """`min_alone`: seconds a local speaker must talk alone in a chunk to be embedded. `edge`: frames
    trimmed off each end of its runs (the change itself smears both voices). `length`: seconds
    embedded (shorter speech is repeated to fill them). `distinct_below`: cosine under which two local
    speakers of one chunk count as two people."""

    min_alone: float = 1.0
    edge: int = 3
    length: float = 2.0
    distinct_below: float = 0.2


def _alone_samples(audio: np.ndarray, start: int, alone: np.ndarray, edge: int) -> np.ndarray:
    """The samples of the frames in `alone` (one local speaker of a chunk), each run's edges trimmed."""
    edges = np.flatnonzero(np.diff(np.concatenate([[0], alone.astype(np.int8), [0]])))
    parts = []
    for first, end in zip(edges[::2], edges[1::2], strict=True):
        first, end = first + edge, end - edge
        if end > first:
            lo = start + CENTRE + first * FRAME_SAMPLES
            parts.append(audio[max(lo, 0) : start + CENTRE + end * FRAME_SAMPLES])
    return np.concatenate(parts) if parts else np.zeros(0, dtype=np.float32)


def _speech_alone(
    audio: np.ndarray, start: int, active: np.ndarray, settings: LocalSettings
) -> list[np.ndarray]:
    """The speech of each local speaker of one chunk that talks alone for at least `min_alone` s."""
    alone = speaking_alone(active)
    found = [_alone_samples(audio, start, alone[:, k], settings.edge) for k in range(alone.shape[1])]
    return [piece for piece in found if len(piece) >= settings.min_alone * SAMPLE_RATE]


def local_embeddings(
    audio: np.ndarray,
    activity: Activity,
    settings: LocalSettings = LocalSettings(),
    threads: Threads = 1,
    bf16: bool | None = None,
    more_than: int = 1,
) -> list[np.ndarray]:
    """Per chunk, the (n, 192) embeddings of its local speakers with enough speech alone; chunks with
    at most `more_than` such speakers get an empty array (they cannot show more people)."""
    size = int(settings.length * SAMPLE_RATE)
    pieces: list[np.ndarray] = []
    owners: list[int] = []
    for index, (start, active) in enumerate(zip(activity.starts, activity.active, strict=True)):
        found = _speech_alone(audio, int(start), active, settings)
        if len(found) > more_than:
            pieces.extend(np.resize(piece, size) if len(piece) < size else piece[:size] for piece in found)
            owners.extend([index] * len(found))
    out = [np.zeros((0, speaker_model.EMBEDDING_SIZE), dtype=np.float32) for _ in activity.starts]
    if not pieces:
        return out
    joined = np.concatenate(pieces).astype(np.float32)
    spans = [(i * size, (i + 1) * size) for i in range(len(pieces))]
    vectors = speaker_model.embed_windows(joined, spans, threads=threads, bf16=bf16)
    owner = np.asarray(owners)
    for index in np.unique(owner):
        out[int(index)] = vectors[owner == index]
    return out


def distinct(vectors: np.ndarray, below: float) -> np.ndarray:
    """Indices of the most `vectors` (L2-normalised rows) that are pairwise less similar than `below`."""
    similar = vectors @ vectors.T
    for size in range(len(vectors), 1, -1):
        for chosen in combinations(range(len(vectors)), size):
            if all(similar[a, b] < below for a, b in combinations(chosen, 2)):
                return np.asarray(chosen, dtype=np.int64)
    return np.arange(min(len(vectors), 1), dtype=np.int64)


def distinct_voices(
    audio: np.ndarray,
    activity: Activity,
    found: int,
    settings: LocalSettings = LocalSettings(),
    threads: Threads = 1,
    bf16: bool | None = None,
) -> np.ndarray:
    """Embeddings of more than `found` (the clustered count) people heard apart in one chunk, the
    most of any chunk; empty when no chunk shows more than `found`.

    Only chunks with more than `found` local speakers talking alone long enough are embedded, so
    usually nothing is (two-party calls clustered as two, monologues with one local speaker).
    """
    best = np.zeros((0, speaker_model.EMBEDDING_SIZE), dtype=np.float32)
    if found >= activity.active.shape[2]:  # no chunk can show more
        return best
    for vectors in local_embeddings(audio, activity, settings, threads, bf16, more_than=found):
        if len(vectors):
            chosen = vectors[distinct(vectors, settings.distinct_below)]
            if len(chosen) > max(found, len(best)):
                best = chosen
    return best


def add_voices(embeddings: np.ndarray, labels: np.ndarray, voices: np.ndarray, found: int) -> np.ndarray:
    """Labels with a cluster added for each of `voices` beyond `found` that is least like the clusters:
    a window joins it when it is more like that voice than like its own cluster's centroid."""
    x = embeddings / np.maximum(np.linalg.norm(embeddings, axis=1, keepdims=True), 1e-8)
    means = centroids(x, labels)
    novelty = (voices @ means.T).max(axis=1)
    new = voices[np.argsort(novelty)[: len(voices) - found]]
    own = np.einsum("ij,ij->i", x, means[labels])
    to_new = x @ new.T
    best = np.argmax(to_new, axis=1)
    moved = to_new[np.arange(len(x)), best] > own
    return np.where(moved, int(labels.max()) + 1 + best, labels).astype(np.int64)
