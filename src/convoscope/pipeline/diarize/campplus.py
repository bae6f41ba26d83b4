"""The CAM++ speaker-embedding network (3D-Speaker, Apache-2.0), defined here to load its weights.

CAM++ (Wang et al., 2023, "CAM++: A Fast and Efficient Network for Speaker Verification Using
Context-Aware Masking") is a 2-D convolutional front end over 80 log-mel bands followed by a densely
connected TDNN whose layers gate their output by a context mask pooled over the whole input and
over 100-frame segments, then mean + standard-deviation pooling and a 192-d projection.

Module and parameter names follow the published checkpoint, so its state dict loads as is. The
module holds no weights of its own: `load` builds it and fills it from the checkpoint file.
"""

from __future__ import annotations

from collections import OrderedDict
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn

FEATURE_BANDS = 80
EMBEDDING_SIZE = 192


def _bn_relu(channels: int) -> nn.Sequential:
    return nn.Sequential(OrderedDict([("batchnorm", nn.BatchNorm1d(channels)), ("relu", nn.ReLU())]))


def _normed(bn: nn.Module | torch.Tensor, x: torch.Tensor, *, relu: bool) -> torch.Tensor:
    """`bn(x)` (then ReLU) in eval mode; under inference mode written over `x`, a contiguous
    temporary.

    A new float32 activation of the front end is 48 MB for a batch of 32 windows: each one the
    allocator maps afresh costs more in page faults than the arithmetic, so batch norm then ReLU
    out of place took 39 ms on one such tensor, in place 5 ms (one thread). The same kernel as
    `bn(x)` runs, so the values are the same bit for bit.
    """
    if not isinstance(bn, nn.modules.batchnorm._BatchNorm):
        raise TypeError(f"expected a batch norm, got {type(bn).__name__}")
    if bn.training or bn.running_mean is None or not torch.is_inference_mode_enabled():
        out = bn(x)
        return F.relu(out) if relu else out
    unused = bn.running_mean.new_empty(0)  # float32 even when x is bfloat16 (autocast)
    torch.ops.aten.native_batch_norm.out(
        x,
        bn.weight,
        bn.bias,
        bn.running_mean,
        bn.running_var,
        False,
        0.0,
        bn.eps,
        out=x,
        save_mean=unused,
        save_invstd=unused,
    )
    return x.relu_() if relu else x


def _conv(conv: nn.Conv1d, x: torch.Tensor) -> torch.Tensor:
    """`conv(x)`; on (batch, channels, 1, frames) rows, as the 2-D convolution it is on them."""
    if x.dim() == 3:
        return conv(x)
    weight = conv.weight.unsqueeze(2)  # channels-last rows once `CamPlusPlus.channels_last` ran
    padding = conv.padding[0]
    if not isinstance(padding, int):
        raise TypeError(f"expected numeric padding, got {conv.padding}")
    return F.conv2d(x, weight, conv.bias, (1, conv.stride[0]), (0, padding), (1, conv.dilation[0]))


class _ResBlock(nn.Module):
    def __init__(self, channels_in: int, channels: int, stride: int) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(channels_in, channels, 3, stride=(stride, 1), padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(channels)
        self.conv2 = nn.Conv2d(channels, channels, 3, stride=1, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(channels)
        self.shortcut = nn.Sequential()
        if stride != 1 or channels_in != channels:
            self.shortcut = nn.Sequential(
                nn.Conv2d(channels_in, channels, 1, stride=(stride, 1), bias=False), nn.BatchNorm2d(channels)
            )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = _normed(self.bn2, self.conv2(_normed(self.bn1, self.conv1(x), relu=True)), relu=False)
        if len(self.shortcut):
            conv, bn = self.shortcut
            out = out.add_(_normed(bn, conv(x), relu=False))
        else:
            out = out.add_(x)
        return out.relu_()


class _FrontEnd(nn.Module):
    """2-D convolutions over (bands, frames); bands are folded into channels at the end."""

    def __init__(self, bands: int = FEATURE_BANDS, channels: int = 32) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(1, channels, 3, stride=1, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(channels)
        self.layer1 = nn.Sequential(_ResBlock(channels, channels, 2), _ResBlock(channels, channels, 1))
        self.layer2 = nn.Sequential(_ResBlock(channels, channels, 2), _ResBlock(channels, channels, 1))
        self.conv2 = nn.Conv2d(channels, channels, 3, stride=(2, 1), padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(channels)
        self.out_channels = channels * (bands // 8)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = _normed(self.bn1, self.conv1(x.unsqueeze(1)), relu=True)
        out = _normed(self.bn2, self.conv2(self.layer2(self.layer1(out))), relu=True)
        return out.reshape(out.shape[0], out.shape[1] * out.shape[2], out.shape[3])


class _Tdnn(nn.Module):
    def __init__(self, channels_in: int, channels_out: int, kernel: int, stride: int) -> None:
        super().__init__()
        pad = (kernel - 1) // 2
        self.linear = nn.Conv1d(channels_in, channels_out, kernel, stride=stride, padding=pad, bias=False)
        self.nonlinear = _bn_relu(channels_out)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return _normed(self.nonlinear.batchnorm, _conv(self.linear, x), relu=True)


class _ContextMask(nn.Module):
    """A convolution whose output is gated by context: the global mean plus 100-frame segment means."""

    def __init__(self, channels: int, channels_out: int, kernel: int, dilation: int) -> None:
        super().__init__()
        pad = (kernel - 1) // 2 * dilation
        self.linear_local = nn.Conv1d(
            channels, channels_out, kernel, padding=pad, dilation=dilation, bias=False
        )
        self.linear1 = nn.Conv1d(channels, channels // 2, 1)
        self.relu = nn.ReLU()
        self.linear2 = nn.Conv1d(channels // 2, channels_out, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        frames, segment = x.shape[-1], 100
        if x.dim() == 3:
            pooled = F.avg_pool1d(x, kernel_size=segment, stride=segment, ceil_mode=True)
        else:  # (batch, channels, 1, frames) rows
            pooled = F.avg_pool2d(x, kernel_size=(1, segment), stride=(1, segment), ceil_mode=True)
        # The gate is computed once per segment and then repeated over its frames, not per frame:
        # its layers are pointwise in time, so this is the same result, and a diarization window
        # (1.5 s: 74 frames here) is one segment. 0.86x the network's time, identical embeddings.
        context = x.mean(-1, keepdim=True) + pooled
        gate = torch.sigmoid(_conv(self.linear2, self.relu(_conv(self.linear1, context))))
        gate = gate.repeat_interleave(segment, dim=-1)[..., :frames]
        local = _conv(self.linear_local, x)
        return local.mul_(gate) if torch.is_inference_mode_enabled() else local * gate


class _DenseLayer(nn.Module):
    def __init__(self, channels_in: int, growth: int, bottleneck: int, kernel: int, dilation: int) -> None:
        super().__init__()
        self.nonlinear1 = _bn_relu(channels_in)
        self.linear1 = nn.Conv1d(channels_in, bottleneck, 1, bias=False)
        self.nonlinear2 = _bn_relu(bottleneck)
        self.cam_layer = _ContextMask(bottleneck, growth, kernel, dilation)

    def forward(self, x: torch.Tensor, scratch: torch.Tensor | None = None) -> torch.Tensor:
        """`scratch`: at least x.numel() floats this layer may overwrite (x itself is kept)."""
        if scratch is None or not torch.is_inference_mode_enabled():
            out = self.nonlinear1(x)
        else:
            # Copied first: batch norm over a strided view takes another kernel, with other rounding
            # (and is slower on channels-last rows).
            if x.dim() == 3:
                copy = scratch[: x.numel()].view(x.shape)
            else:  # (batch, channels, 1, frames) rows, channels-last
                batch, channels, _, frames = x.shape
                copy = scratch[: x.numel()].view(batch, 1, frames, channels).permute(0, 3, 1, 2)
            out = _normed(self.nonlinear1.batchnorm, copy.copy_(x), relu=True)
        return self.cam_layer(_normed(self.nonlinear2.batchnorm, _conv(self.linear1, out), relu=True))


class _DenseBlock(nn.ModuleDict):
    def __init__(self, layers: int, channels_in: int, growth: int, kernel: int, dilation: int) -> None:
        super().__init__(
            {
                f"tdnnd{i + 1}": _DenseLayer(channels_in + i * growth, growth, 4 * growth, kernel, dilation)
                for i in range(layers)
            }
        )
        self.growth = layers * growth  # channels the block adds

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Each layer's output is written after its input in one block-sized tensor, instead of
        concatenated anew per layer (which copied everything so far every time); outside
        inference mode, concatenated as defined."""
        if not torch.is_inference_mode_enabled():
            for layer in self.values():
                x = torch.cat([x, layer(x)], dim=1)
            return x
        layers = list(self.values())
        channels = x.shape[1]
        shape = (x.shape[0], channels + self.growth, *x.shape[2:])
        layout = torch.channels_last if x.dim() == 4 else torch.contiguous_format
        out = torch.empty(shape, dtype=x.dtype, memory_format=layout)
        out[:, :channels] = x
        scratch = x.new_empty(out.numel())  # each layer's normalised input, reused
        for layer in layers:
            grown = layer(out[:, :channels], scratch)
            out[:, channels : channels + grown.shape[1]] = grown
            channels += grown.shape[1]
        return out


class _Transit(nn.Module):
    def __init__(self, channels_in: int, channels_out: int) -> None:
        super().__init__()
        self.nonlinear = _bn_relu(channels_in)
        self.linear = nn.Conv1d(channels_in, channels_out, 1, bias=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return _conv(self.linear, _normed(self.nonlinear.batchnorm, x, relu=True))


class _StatsPool(nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.cat([x.mean(dim=-1), x.std(dim=-1, unbiased=True)], dim=-1)


class _Projection(nn.Module):
    def __init__(self, channels_in: int, channels_out: int) -> None:
        super().__init__()
        self.linear = nn.Conv1d(channels_in, channels_out, 1, bias=False)
        self.nonlinear = nn.Sequential(
            OrderedDict([("batchnorm", nn.BatchNorm1d(channels_out, affine=False))])
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.nonlinear(self.linear(x.unsqueeze(-1)).squeeze(-1))  # no ReLU: as trained


class CamPlusPlus(nn.Module):
    """(batch, frames, 80) mean-normalised log-mel features -> (batch, 192) speaker embeddings."""

    def __init__(self) -> None:
        super().__init__()
        self.head = _FrontEnd()
        channels = 128
        stages: list[tuple[str, nn.Module]] = [("tdnn", _Tdnn(self.head.out_channels, channels, 5, 2))]
        for index, (layers, kernel, dilation) in enumerate(((12, 3, 1), (24, 3, 2), (16, 3, 2)), start=1):
            stages.append((f"block{index}", _DenseBlock(layers, channels, 32, kernel, dilation)))
            channels += layers * 32
            stages.append((f"transit{index}", _Transit(channels, channels // 2)))
            channels //= 2
        stages += [("out_nonlinear", _bn_relu(channels)), ("stats", _StatsPool())]
        stages.append(("dense", _Projection(channels * 2, EMBEDDING_SIZE)))
        self.xvector = nn.Sequential(OrderedDict(stages))

    def forward(self, features: torch.Tensor) -> torch.Tensor:
        x = self.head(features.transpose(1, 2))
        if not torch.is_inference_mode_enabled():
            return self.xvector(x)
        # Under inference mode the 1-D layers run on (batch, channels, 1, frames) rows, channels-last:
        # oneDNN convolves that layout as it lies, where each 1-D convolution of a (batch, channels,
        # frames) tensor reordered its whole input to a blocked layout and its output back (a dense
        # block's input grows to 1024 channels). 0.86-0.9x the network's time in bfloat16 and float32.
        x = x.unsqueeze(2).contiguous(memory_format=torch.channels_last)
        for name, stage in self.xvector.named_children():
            x = _normed(stage.batchnorm, x, relu=True).squeeze(2) if name == "out_nonlinear" else stage(x)
        return x

    def channels_last(self) -> CamPlusPlus:
        """Store the convolutions' weights channels-last, the layout oneDNN convolves in without
        reordering each input: the 2-D front end's (NHWC; 0.9x the network's time on one thread,
        embeddings within 4e-6) and the 1-D layers' as (out, in, 1, kernel) rows (`forward`)."""
        self.head.to(memory_format=torch.channels_last)  # type: ignore[call-overload]
        for module in self.xvector.modules():
            if isinstance(module, nn.Conv1d):
                rows = module.weight.detach().unsqueeze(2).contiguous(memory_format=torch.channels_last)
                module.weight = nn.Parameter(rows.squeeze(2))  # the same values, strided (out, in, kernel)
        return self


def load(path: Path) -> CamPlusPlus:
    """The network with the checkpoint at `path` loaded, in eval mode."""
    model = CamPlusPlus()
    state = torch.load(path, map_location="cpu", weights_only=True)
    model.load_state_dict(state)
    return model.eval().channels_last()
