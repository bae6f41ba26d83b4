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
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import structlog

from convoscope.pipeline.models.once import load_once
from convoscope.pipeline.torch_threads import torch_threads

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


@load_once
def get_encoder() -> torch.nn.Module:
    """The voice encoder, loaded on first use and shared by every caller in the process."""
    return _build()


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


def _spans(windows: Sequence[tuple[int, int]]) -> list[tuple[int, int, list[int]]]:
    """Merge overlapping windows (in start order) into spans: (start, end, indices of its windows)."""
    spans: list[tuple[int, int, list[int]]] = []
    for index, (start, end) in enumerate(windows):
        if spans and start <= spans[-1][1]:  # a short region's centred window may reach back
            spans[-1] = (min(spans[-1][0], start), max(spans[-1][1], end), [*spans[-1][2], index])
        else:
            spans.append((start, end, [index]))
    return spans


def window_mels(audio: np.ndarray, windows: Sequence[tuple[int, int]]) -> np.ndarray:
    """Mel spectrograms of equal-length windows, shape (n, frames, 40), each at -30 dBFS.

    The spectrogram is computed once per span of overlapping windows and sliced, not once per
    window (windows overlap 3x at the default hop). Loudness is normalised in the mel domain: power
    scales with the square of the gain, so this equals normalising each window's samples first.
    Windows past the end of the audio see zeros.
    """
    size = windows[0][1] - windows[0][0]
    n_frames = 1 + size // HOP
    out = np.empty((len(windows), n_frames, N_MELS), dtype=np.float32)
    target = 10 ** (TARGET_DBFS / 20)
    for start, end, members in _spans(windows):
        wav = audio[start:end]
        if len(wav) < end - start:
            wav = np.pad(wav, (0, end - start - len(wav)))
        mel = mel_frames(wav)
        energy = np.concatenate([[0.0], np.cumsum(np.square(wav, dtype=np.float64))])
        for index in members:
            offset = windows[index][0] - start
            first = min(round(offset / HOP), len(mel) - n_frames)
            rms = float(np.sqrt(max(energy[offset + size] - energy[offset], 0.0) / size))
            gain = (target / rms) ** 2 if rms > 1e-6 else 1.0
            out[index] = mel[first : first + n_frames] * gain
    return out


def bf16_supported() -> bool:
    """Whether this CPU runs bfloat16 matrix maths natively (AVX512-BF16 or AMX)."""
    import torch

    try:
        return bool(torch.ops.mkldnn._is_mkldnn_bf16_supported())
    except (AttributeError, RuntimeError):
        return False


@contextmanager
def cpu_inference(threads: int, bf16: bool | None) -> Iterator[None]:
    """Torch inference on `threads` CPU threads, in bfloat16 if `bf16` (None: when the CPU has it)."""
    import torch

    use_bf16 = bf16_supported() if bf16 is None else bf16
    with (
        torch_threads(threads),
        torch.inference_mode(),
        torch.autocast("cpu", dtype=torch.bfloat16, enabled=use_bf16),
    ):
        yield


def embed_windows(
    audio: np.ndarray,
    windows: Sequence[tuple[int, int]],
    *,
    batch_size: int = BATCH_SIZE,
    threads: int = 1,
    bf16: bool | None = None,
) -> np.ndarray:
    """One L2-normalised embedding per window (start, end sample); all windows have the same length.

    Returns float32 of shape (len(windows), 256). Each window is loudness-normalised on its own.
    Spectrograms are made per batch, so memory does not grow with the number of windows.
    `bf16` (default: when the CPU supports it) runs the encoder in bfloat16, twice as fast; the
    embeddings stay within cosine 0.996 of float32 ones.
    """
    if not windows:
        return np.zeros((0, EMBEDDING_SIZE), dtype=np.float32)
    import torch

    encoder = get_encoder()
    out = np.empty((len(windows), EMBEDDING_SIZE), dtype=np.float32)
    with cpu_inference(threads, bf16):
        for first in range(0, len(windows), batch_size):
            mels = window_mels(audio, windows[first : first + batch_size])
            out[first : first + len(mels)] = encoder(torch.from_numpy(mels)).float().numpy()
    return out
