"""The encoder one chunk at a time, the decoder on the whole batch.

A batch pays off in the decoder: its greedy search multiplies a row of activations by each weight
matrix per token, so it is bound by memory reads, and a batch reads the weights once for all its
rows. The encoder is bound by compute instead (1500 positions a chunk), so a batch saves it nothing,
and its self-attention holds the scores of every row at once: on one thread, base in int8, four 30 s
chunks as one batch cost 4.10 s of CPU and raised the process's high-water mark by 250 MB; as four
rows, 3.73 s and nothing (`bench/README.md`, round 8). CTranslate2's int8 encoder on the CPU gives
the same output bit for bit either way (`tests/pipeline/test_encoder_rows.py`), so the words do not
change. On the host only: a GPU wants the batch whole, and its output does not come back as an array.
"""

from __future__ import annotations

from typing import Any

import numpy as np

# Compute types whose encoder output is float32 on the host (numpy has no bfloat16 to join them in).
_FLOAT32_OUTPUT = frozenset({"float32", "int8_float32", "int8"})


class RowByRowEncoder:
    """A `WhisperModel` (or a view of one) whose `encode` runs one batch row at a time."""

    def __init__(self, model: Any) -> None:
        self._model = model

    def __getattr__(self, name: str) -> Any:
        return getattr(self._model, name)

    def encode(self, features: np.ndarray) -> Any:
        if features.ndim == 2 or features.shape[0] == 1:
            return self._model.encode(features)
        import ctranslate2

        rows = [np.asarray(self._model.encode(features[i : i + 1])) for i in range(features.shape[0])]
        return ctranslate2.StorageView.from_array(np.concatenate(rows))


def encoder_rows(model: Any) -> Any:
    """`model` encoding one row at a time where its encoder runs on the host in float32, else itself."""
    generator = model.model
    if (
        getattr(generator, "device", None) == "cpu"
        and getattr(generator, "compute_type", None) in _FLOAT32_OUTPUT
    ):
        return RowByRowEncoder(model)
    return model
