"""Greedy decoding first, the beam search only for the chunks whose greedy result looks wrong.

On a CPU the beam search is about half of a chunk's decoding (beam 5, `bench/README.md`), and on
clear speech the greedy result is nearly always the same text. `GreedyFirstModel` is a view of a
loaded `WhisperModel` for faster-whisper's `BatchedInferencePipeline`: its generator decodes a batch
greedily, checks each chunk with faster-whisper's own fallback thresholds (average log-probability,
compression ratio), and decodes the chunks that fail again with the beam search, from the same
encoder output (no second encoder pass). `with_greedy_first` gives faster-whisper's sequential
`transcribe` the same generator (`one_window`).
"""

from __future__ import annotations

import copy
import threading
import zlib
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from faster_whisper import WhisperModel

# faster-whisper's defaults for falling back to another decoding (there: a higher temperature).
LOG_PROB_THRESHOLD = -1.0
COMPRESSION_RATIO_THRESHOLD = 2.4


def compression_ratio(text: str) -> float:
    """faster-whisper's `get_compression_ratio`: high for repetitive (looping) text."""
    data = text.encode("utf-8")
    return len(data) / len(zlib.compress(data)) if data else 0.0


class _GreedyFirstGenerator:
    """The CTranslate2 Whisper model, with `generate` greedy first (everything else passed through)."""

    def __init__(self, inner: Any, tokenizer: Any, counts: _Counts) -> None:
        self._inner = inner
        self._tokenizer = tokenizer
        self._counts = counts
        # Sequential decoding adds timestamp tokens, which come after end-of-text in the vocabulary
        # and are not text (faster-whisper's tokenizer leaves them out of the text it checks too).
        self._text_below = tokenizer.token_to_id("<|endoftext|>")

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    def generate(self, encoder_output: Any, prompts: list[list[int]], **kwargs: Any) -> list[Any]:
        beam_size = int(kwargs.get("beam_size", 1))
        if beam_size <= 1:
            return list(self._inner.generate(encoder_output, prompts, **kwargs))
        results = list(self._inner.generate(encoder_output, prompts, **{**kwargs, "beam_size": 1}))
        doubtful = [i for i, r in enumerate(results) if self._doubtful(r, kwargs)]
        self._counts.add(len(results), len(doubtful))
        if not doubtful:
            return results
        rows = _rows(encoder_output, doubtful, len(results))
        if rows is None:  # not slicable here (a GPU's storage): the whole batch with the beam
            again = self._inner.generate(encoder_output, prompts, **kwargs)
            return [again[i] if i in doubtful else r for i, r in enumerate(results)]
        again = self._inner.generate(rows, [prompts[i] for i in doubtful], **kwargs)
        for i, result in zip(doubtful, again, strict=True):
            results[i] = result
        return results

    def _doubtful(self, result: Any, kwargs: dict[str, Any]) -> bool:
        """Whether a greedy result fails faster-whisper's fallback checks (as its pipeline computes them)."""
        tokens = result.sequences_ids[0]
        length_penalty = float(kwargs.get("length_penalty", 1.0))
        avg_logprob = result.scores[0] * (len(tokens) ** length_penalty) / (len(tokens) + 1)
        if avg_logprob < LOG_PROB_THRESHOLD:
            return True
        text = self._tokenizer.decode([t for t in tokens if t < self._text_below])
        return compression_ratio(text) > COMPRESSION_RATIO_THRESHOLD


def _rows(encoder_output: Any, rows: list[int], batch: int) -> Any | None:
    """The encoder output of `rows` of the batch; None where it cannot be sliced on the host."""
    if len(rows) == batch:
        return encoder_output
    import ctranslate2

    try:
        array = np.asarray(encoder_output)
    except (TypeError, ValueError, RuntimeError):
        return None
    return ctranslate2.StorageView.from_array(np.ascontiguousarray(array[rows]))


class _Counts:
    """Chunks decoded and chunks decoded again with the beam (the streams share one view)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.chunks = 0
        self.beam = 0

    def add(self, chunks: int, beam: int) -> None:
        with self._lock:
            self.chunks += chunks
            self.beam += beam


class GreedyFirstModel:
    """A `WhisperModel` whose batched decoding is greedy first (see the module docstring).

    Only `BatchedInferencePipeline` is meant to use it: it reaches the generator as `model.model`.
    """

    def __init__(self, model: WhisperModel) -> None:
        self._model = model
        self.counts = _Counts()
        self.model = _GreedyFirstGenerator(model.model, model.hf_tokenizer, self.counts)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._model, name)


def with_greedy_first(model: WhisperModel) -> tuple[WhisperModel, _Counts]:
    """A shallow copy of `model` whose generator is greedy first, and its counts, for faster-whisper's
    sequential `transcribe` (whose methods reach the generator as `self.model`, so a view that
    forwards to `model` would not do: `model`'s own methods would run on its own generator)."""
    counts = _Counts()
    greedy = copy.copy(model)
    greedy.model = _GreedyFirstGenerator(model.model, model.hf_tokenizer, counts)
    return greedy, counts
