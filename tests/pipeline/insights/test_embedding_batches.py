"""Sentence embeddings are batched by the code, so the batches can run on idle cores: the same
vectors on one thread and on two, in the caller's order, each the model's own vector of its text."""

from __future__ import annotations

import numpy as np
import pytest

import convoscope.pipeline.idle_cores as idle_cores
from convoscope.pipeline.nlp import EMBED_BATCH, LanguageModels

WORDS = [
    "the",
    "revised",
    "budget",
    "goes",
    "to",
    "Maya",
    "by",
    "Thursday",
    "and",
    "Tom",
    "books",
    "the",
    "vendor",
    "call",
    "for",
    "next",
    "week",
]


def sentences(count: int) -> list[str]:
    """`count` different sentences of 2 to 17 words, lengths mixed so batches reorder them."""
    return [" ".join(WORDS[(i * 7) % 5 : (i * 7) % 5 + 2 + (i * 5) % 16]) + f" ({i})" for i in range(count)]


def test_batches_on_two_threads_give_one_threads_vectors_in_order(
    models: LanguageModels, monkeypatch: pytest.MonkeyPatch
) -> None:
    texts = sentences(2 * EMBED_BATCH + 17)  # three batches
    monkeypatch.setattr(idle_cores, "threads_for_idle_cores", lambda most, sample_seconds=0.05: 1)
    one = models.embed(texts)
    monkeypatch.setattr(idle_cores, "threads_for_idle_cores", lambda most, sample_seconds=0.05: 2)
    two = models.embed(texts)
    assert one.shape == (len(texts), 384)
    assert np.array_equal(one, two)
    # each row is its own text's vector (alone, the model pads it less: equal to rounding)
    alone = np.asarray(
        models.embedder().encode([texts[0], texts[-1]], batch_size=1, normalize_embeddings=True)
    )
    assert float(one[0] @ alone[0]) > 0.9999 and float(one[-1] @ alone[1]) > 0.9999
    assert float(one[0] @ one[-1]) < 0.99  # different texts, different rows
    assert np.allclose(np.linalg.norm(one, axis=1), 1.0, atol=1e-5)
