"""Encoder windows fitted to a batch's speech instead of always 30 s.

faster-whisper pads every chunk to Whisper's 30 s window before the encoder, so 11 s of speech, or
the 1.3 s a second pass decodes again, costs the encoder as much as 30 s. CTranslate2's encoder takes
fewer frames, and its cost falls faster than the frames (self-attention is quadratic in them), and
the decoder's cross-attention follows. `FittedWindowModel` is a view of a loaded model for
faster-whisper's `BatchedInferencePipeline` whose `encode` keeps only the frames of the batch's
longest chunk and `WINDOW_PAD_SECONDS` of the padding after it: the decoder still sees the speech end
and silence follow, so it ends the text where the speech ends (a window cut inside the speech made
it repeat itself). For first passes it is off (`FITTED_UP_TO_SECONDS`, below): on the reference clips
the words are the same (`tests/pipeline/test_encoder_window.py`), but on real calls they are worse.
Second passes (the speech a first pass dropped, decoded again on its own) get it
(`SECOND_PASS_FITTED_UP_TO_SECONDS`): they are the few seconds at a chunk's end, a full window is
most of their cost, and on real calls their words were no worse (`bench/asr/call_wer.py`, figures
in `bench/README.md`).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

FULL_WINDOW_SECONDS = 30.0
# Padding kept after the longest chunk's speech, in seconds.
WINDOW_PAD_SECONDS = 2.0
# Batches up to this many seconds get a fitted window; 0 (the default) turns fitting off. On real
# 8 kHz calls (bench/asr/call_wer.py) the shorter window changes what Whisper hears: fitted windows on
# every chunk raised the WER from 19.2 % to 20.9 %, and on 10 s recordings from 26.3 % to 47.1 %, one
# of them decoded into a loop (680 % WER). The read speech of the shared clips showed none of it.
FITTED_UP_TO_SECONDS = 0.0
# The same for second passes (speech a first pass dropped, decoded again on its own): all of them (a
# window that would be full stays so). On the real calls the pooled WER went from 23.84 % to 23.12 %
# on the whole excerpts (two of five worded otherwise, both better) and from 23.44 % to 23.15 % cut
# into 30 s (one of eight, better); on 30 s of paused read speech the second pass, 1.7 s, took a
# 3.7 s window, and the transcription 2.91 -> 2.02 s of CPU.
SECOND_PASS_FITTED_UP_TO_SECONDS = FULL_WINDOW_SECONDS
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


def fitted_window(model: Any, longest_seconds: float, *, second_pass: bool = False) -> Any:
    """`model` with its encoder window fitted to `longest_seconds` of speech; `model` itself when the
    batch is longer than `FITTED_UP_TO_SECONDS` (`SECOND_PASS_FITTED_UP_TO_SECONDS` for a
    `second_pass`) or the window would be full."""
    if longest_seconds > (SECOND_PASS_FITTED_UP_TO_SECONDS if second_pass else FITTED_UP_TO_SECONDS):
        return model
    frames = window_frames(longest_seconds)
    if frames >= FULL_WINDOW_SECONDS * FRAMES_PER_SECOND:
        return model
    return FittedWindowModel(model, frames)
