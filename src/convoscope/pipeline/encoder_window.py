"""Encoder windows fitted to a batch's speech instead of always 30 s.

faster-whisper pads every chunk to Whisper's 30 s window before the encoder, so 11 s of speech, or
the 1.3 s a second pass decodes again, costs the encoder as much as 30 s. CTranslate2's encoder takes
fewer frames, and its cost falls faster than the frames (self-attention is quadratic in them), and
the decoder's cross-attention follows. `FittedWindowModel` is a view of a loaded model for
faster-whisper's `BatchedInferencePipeline` whose `encode` keeps only the frames of the batch's
longest chunk and `WINDOW_PAD_SECONDS` of the padding after it: the decoder still sees the speech end
and silence follow, so it ends the text where the speech ends (a window cut inside the speech made
it repeat itself). It is off (`FITTED_UP_TO_SECONDS`, below): on the reference clips the words are the
same (`tests/pipeline/test_encoder_window.py`), but on real calls they are worse, so it stays a
measured option for `bench/asr/call_wer.py` until a window that keeps the words is found.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

# Padding kept after the longest chunk's speech, in seconds.
WINDOW_PAD_SECONDS = 2.0
# Batches up to this many seconds get a fitted window; 0 (the default) turns fitting off. On real
# 8 kHz calls (bench/asr/call_wer.py) the shorter window changes what Whisper hears: fitted windows on
# every chunk raised the WER from 19.2 % to 20.9 %, and on 10 s recordings from 26.3 % to 47.1 %, one
# of them decoded into a loop (680 % WER). The read speech of the shared clips showed none of it.
FITTED_UP_TO_SECONDS = 0.0
FULL_WINDOW_SECONDS = 30.0
FRAMES_PER_SECOND = 100  # log-mel frames; the encoder halves them (a stride-2 convolution)


def window_frames(longest_seconds: float, pad_seconds: float = WINDOW_PAD_SECONDS) -> int:
    """Mel frames the encoder sees for a batch whose longest chunk lasts `longest_seconds`: an even
    number (two frames per encoder position), at most the full window."""
    seconds = min(FULL_WINDOW_SECONDS, longest_seconds + pad_seconds)
    return min(int(FULL_WINDOW_SECONDS * FRAMES_PER_SECOND), 2 * math.ceil(seconds * FRAMES_PER_SECOND / 2))


class FittedWindowModel:
    """A `WhisperModel` (or a view of one) whose `encode` sees only the first `frames` mel frames.

    Everything else passes through, so `BatchedInferencePipeline` decodes and aligns as usual on the
    shorter encoder output (the alignment covers each chunk's own frames, within the window).
    """

    def __init__(self, model: Any, frames: int) -> None:
        self._model = model
        self.frames = frames

    def __getattr__(self, name: str) -> Any:
        return getattr(self._model, name)

    def encode(self, features: np.ndarray) -> Any:
        if features.shape[-1] > self.frames:
            features = features[..., : self.frames]
        return self._model.encode(features)


def fitted_window(model: Any, longest_seconds: float) -> Any:
    """`model` with its encoder window fitted to `longest_seconds` of speech; `model` itself when the
    batch is longer than `FITTED_UP_TO_SECONDS` (so always, by default) or the window would be full."""
    if longest_seconds > FITTED_UP_TO_SECONDS:
        return model
    frames = window_frames(longest_seconds)
    if frames >= FULL_WINDOW_SECONDS * FRAMES_PER_SECOND:
        return model
    return FittedWindowModel(model, frames)
