"""Speaker embeddings from the Resemblyzer voice encoder, without importing `resemblyzer`.

The encoder is a 3-layer LSTM (40 mel bands -> 256) with a linear + ReLU head whose output is
L2-normalised: one 256-d vector per window of audio. Its weights (`pretrained.pt`, 17 MB) ship in the
`resemblyzer` wheel; we load them into an identical module here because `import resemblyzer` pulls
`webrtcvad`, which needs `pkg_resources` (gone from setuptools >= 81) and `librosa` for a mel
spectrogram we compute with numpy instead (same STFT and Slaney mel filterbank as librosa's defaults).

`get_encoder()` loads the model once per process (thread-safe). `embed_windows` embeds fixed-length
windows in batches, computing each batch's spectrograms from the audio slices it needs, so memory is
bounded by the batch size, not by the length of the recording.
"""

from __future__ import annotations

import importlib.util
import threading
import time
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import structlog

if TYPE_CHECKING:
    import torch

log = structlog.get_logger(__name__)

SAMPLE_RATE = 16_000
N_FFT = 400  # 25 ms
HOP = 160  # 10 ms: one mel frame
N_MELS = 40
EMBEDDING_SIZE = 256
TARGET_DBFS = -30.0  # the loudness the encoder was trained on
BATCH_SIZE = 64

_lock = threading.Lock()
_encoder: torch.nn.Module | None = None


class EncoderMissingError(RuntimeError):
    """The `resemblyzer` package (which holds the weights) is not installed."""


def weights_path() -> Path:
    """Where `pretrained.pt` lies inside the installed `resemblyzer` package (not imported)."""
    spec = importlib.util.find_spec("resemblyzer")
    if spec is None or not spec.submodule_search_locations:
        raise EncoderMissingError(
            "speaker diarization needs the resemblyzer package (pip install resemblyzer)"
        )
    path = Path(next(iter(spec.submodule_search_locations))) / "pretrained.pt"
    if not path.is_file():
        raise EncoderMissingError(f"resemblyzer is installed without its weights: {path} is missing")
    return path


def _build() -> torch.nn.Module:
    import torch
    from torch import nn

    class VoiceEncoder(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.lstm = nn.LSTM(N_MELS, 256, 3, batch_first=True)
            self.linear = nn.Linear(256, EMBEDDING_SIZE)

        def forward(self, mels: torch.Tensor) -> torch.Tensor:
            _, (hidden, _) = self.lstm(mels)
            raw = torch.relu(self.linear(hidden[-1]))
            return raw / torch.linalg.vector_norm(raw, dim=1, keepdim=True).clamp_min(1e-8)

    started = time.monotonic()
    model = VoiceEncoder()
    checkpoint = torch.load(weights_path(), map_location="cpu", weights_only=True)
    state = {k: v for k, v in checkpoint["model_state"].items() if not k.startswith("similarity_")}
    model.load_state_dict(state)
    model.eval()
    log.info("diarize.encoder.loaded", seconds=round(time.monotonic() - started, 3))
    return model


def get_encoder() -> torch.nn.Module:
    """The voice encoder, loaded on first use and shared by every caller in the process."""
    global _encoder
    with _lock:
        if _encoder is None:
            _encoder = _build()
        return _encoder


@lru_cache(maxsize=1)
def _mel_basis() -> np.ndarray:
    """Slaney-style mel filterbank, identical to `librosa.filters.mel(sr=16000, n_fft=400, n_mels=40)`."""
    f_max = SAMPLE_RATE / 2
    fft_freqs = np.linspace(0, f_max, N_FFT // 2 + 1)

    f_sp, min_log_hz, logstep = 200.0 / 3, 1000.0, np.log(6.4) / 27.0
    min_log_mel = min_log_hz / f_sp

    def hz_to_mel(hz: float) -> float:
        return hz / f_sp if hz < min_log_hz else min_log_mel + float(np.log(hz / min_log_hz)) / logstep

    mels = np.linspace(hz_to_mel(0.0), hz_to_mel(f_max), N_MELS + 2)
    hz = np.where(mels < min_log_mel, f_sp * mels, min_log_hz * np.exp(logstep * (mels - min_log_mel)))
    fdiff = np.diff(hz)
    ramps = hz[:, None] - fft_freqs[None, :]
    lower = -ramps[:-2] / fdiff[:-1, None]
    upper = ramps[2:] / fdiff[1:, None]
    weights = np.maximum(0.0, np.minimum(lower, upper))
    weights *= (2.0 / (hz[2 : N_MELS + 2] - hz[:N_MELS]))[:, None]
    return weights.astype(np.float32)


@lru_cache(maxsize=1)
def _window() -> np.ndarray:
    return (0.5 - 0.5 * np.cos(2 * np.pi * np.arange(N_FFT) / N_FFT)).astype(np.float32)  # periodic Hann


def mel_frames(wav: np.ndarray) -> np.ndarray:
    """Mel power spectrogram, shape (frames, 40), as Resemblyzer computes it (centred, zero-padded)."""
    padded = np.pad(wav.astype(np.float32, copy=False), N_FFT // 2)
    n_frames = 1 + (len(padded) - N_FFT) // HOP
    frames = np.lib.stride_tricks.as_strided(
        padded, shape=(n_frames, N_FFT), strides=(padded.strides[0] * HOP, padded.strides[0])
    )
    power = np.abs(np.fft.rfft(frames * _window(), axis=1)) ** 2
    return (power.astype(np.float32) @ _mel_basis().T).astype(np.float32)


def normalise_volume(wav: np.ndarray) -> np.ndarray:
    """Scale to the encoder's training loudness (-30 dBFS RMS); silence stays silence."""
    rms = float(np.sqrt(np.mean(np.square(wav, dtype=np.float64)))) if len(wav) else 0.0
    if rms < 1e-6:
        return wav
    return (wav * (10 ** (TARGET_DBFS / 20) / rms)).astype(np.float32)


def _slice(audio: np.ndarray, start: int, end: int) -> np.ndarray:
    """audio[start:end], zero-padded to end - start when the recording is shorter than a window."""
    part = audio[start:end]
    return part if len(part) == end - start else np.pad(part, (0, end - start - len(part)))


def embed_windows(
    audio: np.ndarray, windows: Sequence[tuple[int, int]], *, batch_size: int = BATCH_SIZE
) -> np.ndarray:
    """One L2-normalised embedding per window (start, end sample); all windows have the same length.

    Returns float32 of shape (len(windows), 256). Each window is loudness-normalised on its own.
    """
    if not windows:
        return np.zeros((0, EMBEDDING_SIZE), dtype=np.float32)
    import torch

    encoder = get_encoder()
    out = np.empty((len(windows), EMBEDDING_SIZE), dtype=np.float32)
    with torch.inference_mode():
        for first in range(0, len(windows), batch_size):
            batch = windows[first : first + batch_size]
            mels = np.stack([mel_frames(normalise_volume(_slice(audio, s, e))) for s, e in batch])
            out[first : first + len(batch)] = encoder(torch.from_numpy(mels)).numpy()
    return out
