"""Voiceprints: one mean embedding per speaker, and matching new speakers to known ones."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

# Cosine similarity of two CAM++ voiceprints above which they are taken as the same voice (measured
# on the bench clips: one voice in two parts of a recording 0.81-0.91, the same call wideband and
# telephone-band 0.69-0.75; two different voices -0.06-0.33 across recordings, up to 0.53 for the
# two similar voices of pyannote_sample).
DEFAULT_MATCH_THRESHOLD = 0.65


def voiceprint(embeddings: np.ndarray) -> tuple[float, ...]:
    """L2-normalised mean of L2-normalised embeddings (rows)."""
    mean = embeddings.astype(np.float64).mean(axis=0)
    return tuple(float(v) for v in mean / max(float(np.linalg.norm(mean)), 1e-12))


def unit_rows(prints: Sequence[Sequence[float]]) -> np.ndarray:
    """Voiceprints of one size as the rows of a float64 matrix, each scaled to length 1."""
    x = np.asarray(prints, dtype=np.float64)
    return x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-12)


def match_voiceprints(
    new: Mapping[str, Sequence[float]],
    known: Mapping[str, Sequence[float]],
    threshold: float = DEFAULT_MATCH_THRESHOLD,
) -> dict[str, str]:
    """Map new speaker labels to known speaker keys whose voices match (cosine >= `threshold`).

    The pairing is one-to-one and maximises total similarity (Hungarian assignment), so two new
    speakers never map to one known member; unmatched new speakers are absent from the result.
    Known voiceprints of another size (made by another speaker model) never match.
    """
    sizes = {len(v) for v in new.values()}
    known = {k: v for k, v in known.items() if len(v) in sizes}
    if not new or not known or len(sizes) != 1:
        return {}
    from scipy.optimize import linear_sum_assignment

    new_keys, known_keys = list(new), list(known)
    sim = unit_rows([new[k] for k in new_keys]) @ unit_rows([known[k] for k in known_keys]).T
    rows, cols = linear_sum_assignment(-sim)
    return {new_keys[r]: known_keys[c] for r, c in zip(rows, cols, strict=True) if sim[r, c] >= threshold}
