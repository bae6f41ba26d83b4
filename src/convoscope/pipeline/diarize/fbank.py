"""Kaldi-style log-mel filterbank features, as CAM++ was trained on (80 bands, 25 ms / 10 ms).

Matches Kaldi's `compute-fbank-feats` defaults (and `torchaudio.compliance.kaldi.fbank`): frames
without padding at the edges, DC offset removed, pre-emphasis 0.97, Povey window, 512-point FFT,
power spectrum, triangular filters on the mel scale 1127 ln(1 + f/700) from 20 Hz to Nyquist, log.
No dither, so the same audio always gives the same features. `window_features` subtracts each
window's mean (per band), as the network expects. Checked against the reference extractor that
ships with the weights: equal within 5e-4 per value.
"""

from __future__ import annotations

import math
from functools import lru_cache

import torch

SAMPLE_RATE = 16_000
FRAME = 400  # 25 ms
SHIFT = 160  # 10 ms
N_FFT = 512
BANDS = 80
LOW_HZ = 20.0
PREEMPHASIS = 0.97


def _mel(hz: torch.Tensor) -> torch.Tensor:
    return 1127.0 * torch.log1p(hz / 700.0)


@lru_cache(maxsize=1)
def mel_banks() -> torch.Tensor:
    """(BANDS, N_FFT // 2 + 1) triangular weights; the Nyquist bin gets none, as in Kaldi."""
    bins = N_FFT // 2
    low, high = _mel(torch.tensor(LOW_HZ)), _mel(torch.tensor(SAMPLE_RATE / 2))
    delta = (high - low) / (BANDS + 1)
    left = low + delta * torch.arange(BANDS).unsqueeze(1)
    centre, right = left + delta, left + 2 * delta
    mel = _mel(torch.arange(bins) * (SAMPLE_RATE / N_FFT)).unsqueeze(0)
    up, down = (mel - left) / (centre - left), (right - mel) / (right - centre)
    weights = torch.clamp(torch.minimum(up, down), min=0.0)
    return torch.nn.functional.pad(weights, (0, 1))


@lru_cache(maxsize=1)
def _povey() -> torch.Tensor:
    n = torch.arange(FRAME, dtype=torch.float64)
    return ((0.5 - 0.5 * torch.cos(2 * math.pi * n / (FRAME - 1))) ** 0.85).float()


def fbank(waves: torch.Tensor) -> torch.Tensor:
    """(batch, samples) 16 kHz audio in [-1, 1] -> (batch, frames, 80) log-mel energies.

    Float audio as is, not scaled to int16: the network was trained on features of [-1, 1] audio,
    where the log floor (float32 epsilon) clips the quietest bands.
    """
    frames = waves.unfold(-1, FRAME, SHIFT)  # (batch, n, FRAME), a view
    frames = frames - frames.mean(dim=-1, keepdim=True)
    previous = torch.cat([frames[..., :1], frames[..., :-1]], dim=-1)
    frames = (frames - PREEMPHASIS * previous) * _povey()
    power = torch.fft.rfft(frames, n=N_FFT).abs().pow(2)
    energies = power @ mel_banks().T
    return torch.log(torch.clamp(energies, min=torch.finfo(torch.float32).eps))


def window_features(waves: torch.Tensor) -> torch.Tensor:
    """Features of equal-length windows (float audio in [-1, 1]), mean-normalised per window."""
    features = fbank(waves)
    return features - features.mean(dim=1, keepdim=True)
