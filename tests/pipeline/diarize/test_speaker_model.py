"""The CAM++ weights: found in the pinned package, hash-checked, and the features they expect."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch

from convoscope.pipeline.diarize import speaker_model
from convoscope.pipeline.diarize.fbank import fbank, mel_banks, window_features


def test_installed_weights_pass_the_hash_check() -> None:
    speaker_model.verify(speaker_model.weights_path())


def test_a_changed_weights_file_is_refused(tmp_path: Path) -> None:
    copy = tmp_path / "campplus.pt"
    data = bytearray(speaker_model.weights_path().read_bytes())
    data[-1] ^= 0xFF  # one flipped byte
    copy.write_bytes(bytes(data))
    with pytest.raises(speaker_model.WeightsIntegrityError, match="expected"):
        speaker_model.verify(copy)


def test_fbank_shape_and_filterbank() -> None:
    audio = torch.from_numpy(np.random.default_rng(0).normal(scale=0.1, size=(2, 24_000)).astype(np.float32))
    features = fbank(audio)
    assert features.shape == (2, 1 + (24_000 - 400) // 160, 80)
    banks = mel_banks()
    assert banks.shape == (80, 257) and float(banks[:, -1].abs().sum()) == 0.0
    assert torch.all(banks.sum(dim=1) > 0)  # every band has some bins
    normalised = window_features(audio)
    assert torch.allclose(normalised.mean(dim=1), torch.zeros(2, 80), atol=1e-4)


def test_embeddings_are_unit_length_and_deterministic() -> None:
    audio = np.random.default_rng(1).normal(scale=0.1, size=48_000).astype(np.float32)
    windows = [(0, 24_000), (12_000, 36_000), (40_000, 64_000)]  # the last runs past the end
    first = speaker_model.embed_windows(audio, windows, bf16=False)
    assert first.shape == (3, speaker_model.EMBEDDING_SIZE)
    assert np.allclose(np.linalg.norm(first, axis=1), 1.0, atol=1e-5)
    assert np.allclose(first, speaker_model.embed_windows(audio, windows, bf16=False), atol=1e-6)


def _gate_per_frame(mask: torch.nn.Module, x: torch.Tensor) -> torch.Tensor:
    """CAM++'s context-aware mask as the paper writes it: the gate's layers applied on every frame."""
    frames, segment = x.shape[-1], 100
    pooled = torch.nn.functional.avg_pool1d(x, kernel_size=segment, stride=segment, ceil_mode=True)
    context = x.mean(-1, keepdim=True) + pooled.repeat_interleave(segment, dim=-1)[..., :frames]
    gate = torch.sigmoid(mask.linear2(mask.relu(mask.linear1(context))))  # type: ignore[operator]
    return mask.linear_local(x) * gate  # type: ignore[operator,no-any-return]


@pytest.mark.parametrize("seconds", [1.5, 5.0])  # one 100-frame context segment, and three
def test_network_matches_the_per_frame_definition_on_speech(seconds: float) -> None:
    """The gate computed once per segment, the channels-last front end, the 1-D layers on channels-last
    rows and the batch norms written in place (inference mode only; the reference runs outside it, on
    the modules as defined) change no embedding beyond rounding."""
    import copy

    from convoscope.pipeline.diarize.campplus import _ContextMask
    from tests.fixtures.diarization import load

    audio = load("pyannote_sample.wav")
    size = int(seconds * 16_000)
    waves = np.stack([audio[start : start + size] for start in range(0, len(audio) - size, size)][:8])
    features = window_features(torch.from_numpy(waves))
    model = speaker_model.get_model()
    reference = copy.deepcopy(model)
    reference.head.to(memory_format=torch.contiguous_format)
    for module in reference.modules():
        if isinstance(module, _ContextMask):
            module.forward = _gate_per_frame.__get__(module)  # type: ignore[method-assign]
    with torch.inference_mode():
        ours = model(features)
    with torch.no_grad():
        theirs = reference(features)
    assert torch.nn.functional.cosine_similarity(ours, theirs).min() > 0.99999
    assert torch.allclose(ours, theirs, atol=1e-4)


@pytest.mark.parametrize("autocast", [False, True])  # float32, and bfloat16 as on CPUs that have it
def test_inference_rows_stay_within_rounding_of_the_modules(autocast: bool) -> None:
    """Under inference mode the 1-D layers run on channels-last rows and batch norms and ReLUs
    overwrite temporaries: other convolution kernels, so only the last bits may move (float32 within
    4e-6 of the modules' embeddings, bfloat16 within cosine 0.9998 on these windows); an in-place
    write over a value still needed would move them far more. The same input gives the same bits."""
    from tests.fixtures.diarization import load

    audio = load("ami_trn05_4spk.wav")
    waves = np.stack([audio[start : start + 24_000] for start in range(0, len(audio) - 24_000, 12_000)][:16])
    features = window_features(torch.from_numpy(waves))
    model = speaker_model.get_model()
    with torch.autocast("cpu", dtype=torch.bfloat16, enabled=autocast):
        with torch.inference_mode():
            rows, again = model(features).float(), model(features).float()
        with torch.no_grad():
            modules = model(features).float()
    assert torch.equal(rows, again)
    if autocast:
        assert torch.nn.functional.cosine_similarity(rows, modules).min() > 0.9995
    else:
        assert torch.allclose(rows, modules, rtol=0, atol=2e-5)
        assert torch.nn.functional.cosine_similarity(rows, modules).min() > 0.99999
