"""Pure pieces of the engine: windows, clustering on synthetic vectors, frame voting, mel features."""

from __future__ import annotations

import numpy as np

from convoscope.pipeline.diarize.cluster import ClusterSettings, absorb_small, cluster
from convoscope.pipeline.diarize.embed import _mel_basis, mel_frames
from convoscope.pipeline.diarize.regions import Region, Window, windows_in
from convoscope.pipeline.diarize.turns import Piece, merge, pieces

SR = 16_000


def test_windows_cover_regions() -> None:
    regions = [Region(0, SR // 2), Region(SR, 4 * SR)]
    windows = windows_in(regions, 5 * SR, window=1.5, hop=0.5)
    assert windows[0] == Window(0, int(1.5 * SR), 0)  # short region: one window, clipped at 0
    inside = [w for w in windows if w.region == 1]
    assert inside[0].start == SR and inside[-1].end == 4 * SR
    assert all(w.end - w.start == int(1.5 * SR) for w in windows)


def blobs(sizes: list[int], seed: int = 0, spread: float = 0.15) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(len(sizes), 32))
    x = np.concatenate(
        [
            c + spread * rng.normal(size=(n, 32)) * np.linalg.norm(c)
            for c, n in zip(centres, sizes, strict=True)
        ]
    )
    truth = np.repeat(np.arange(len(sizes)), sizes)
    return x, truth


def same_partition(a: np.ndarray, b: np.ndarray) -> bool:
    return len(set(zip(a.tolist(), b.tolist(), strict=True))) == len(set(a.tolist())) == len(set(b.tolist()))


def test_cluster_finds_the_count() -> None:
    for sizes in ([40, 30], [30, 30, 30], [25, 20, 30, 25]):
        x, truth = blobs(sizes)
        assert same_partition(cluster(x), truth), sizes


def test_cluster_merges_a_single_voice() -> None:
    x, _ = blobs([60], spread=0.05)
    assert set(cluster(x).tolist()) == {0}


def test_cluster_honours_num_speakers_and_relabels_by_first_appearance() -> None:
    x, truth = blobs([30, 30, 30])
    labels = cluster(x[::-1], num_speakers=3)
    assert labels[0] == 0 and same_partition(labels, truth[::-1])
    assert set(cluster(x, num_speakers=1).tolist()) == {0}


def test_cluster_subsamples_long_inputs() -> None:
    x, truth = blobs([1500, 1000])
    labels = cluster(x, settings=ClusterSettings(max_points=300))
    assert same_partition(labels, truth)


def test_frame_voting_places_the_change_between_window_centres() -> None:
    regions = [Region(0, 4 * SR)]
    windows = windows_in(regions, 4 * SR, window=1.5, hop=0.5)  # starts 0, .5, 1, 1.5, 2, 2.5
    labels = np.array([0, 0, 0, 1, 1, 1])
    out = pieces(regions, windows, np.eye(2)[labels], min_run=0.3)
    assert [p.label for p in out] == [0, 1]
    assert 1.9 <= out[0].end <= 2.4  # between centres 1.75 and 2.25
    assert out[0].start == 0.0 and out[-1].end == 4.0


def test_short_runs_are_absorbed() -> None:
    regions = [Region(0, 6 * SR)]
    windows = windows_in(regions, 6 * SR, window=1.5, hop=0.5)
    labels = np.zeros(len(windows), dtype=int)
    labels[4] = 1  # one window of the other speaker
    out = pieces(regions, windows, np.eye(2)[labels], min_run=0.6)
    assert [p.label for p in out] == [0]


def test_merge_joins_short_pauses_only() -> None:
    items = [Piece(0, 1, 0), Piece(1.5, 2, 0), Piece(4, 5, 0), Piece(5, 6, 1)]
    assert merge(items, 1.0) == [Piece(0, 2, 0), Piece(4, 5, 0), Piece(5, 6, 1)]


def test_mel_matches_librosa() -> None:
    import librosa

    rng = np.random.default_rng(0)
    wav = (0.1 * rng.normal(size=SR * 2)).astype(np.float32)
    expected = librosa.feature.melspectrogram(y=wav, sr=SR, n_fft=400, hop_length=160, n_mels=40).T
    assert np.allclose(mel_frames(wav), expected, rtol=1e-3, atol=1e-6 * float(expected.max()))
    assert np.allclose(_mel_basis(), librosa.filters.mel(sr=SR, n_fft=400, n_mels=40), atol=1e-7)


def test_a_short_cluster_joins_the_nearest_voice_unless_distinct() -> None:
    rng = np.random.default_rng(3)
    a, b = rng.normal(size=64), rng.normal(size=64)
    noisy_a = a + rng.normal(scale=2.0, size=64)  # a short reply of voice a: a noisy window
    x = np.stack([a + rng.normal(scale=0.3, size=64) for _ in range(12)] + [noisy_a])
    x = np.concatenate([x, np.stack([b + rng.normal(scale=0.3, size=64) for _ in range(12)])])
    labels = cluster(x, settings=ClusterSettings(merge_threshold=0.95))
    assert labels.max() == 1 and labels[12] == labels[0]
    # Two windows of a third voice, unlike both others: strong evidence, so they stay apart.
    affinity = np.full((8, 8), 0.05)
    affinity[:3, :3] = affinity[3:6, 3:6] = affinity[6:, 6:] = 0.7
    labels = np.array([0, 0, 0, 1, 1, 1, 2, 2])
    assert (
        absorb_small(affinity, labels, ClusterSettings(min_cluster_windows=3, distinct_below=0.1)).tolist()
        == labels.tolist()
    )
    joined = absorb_small(affinity, labels, ClusterSettings(min_cluster_windows=3, distinct_below=0.01))
    assert joined.max() == 1
