"""Bleeping media in place: the same format, the tone where asked, the rest untouched."""

from __future__ import annotations

import shutil
from pathlib import Path

import av
import numpy as np

from convoscope.pipeline.bleep import bleep_media
from tests.fixtures.media import make_mp4, read_mono
from tests.fixtures.paths import SHARED_DATA


def tone_share(samples: np.ndarray, start: float, end: float, rate: int = 16000) -> float:
    part = samples[int(start * rate) : int(end * rate)]
    power = np.abs(np.fft.rfft(part)) ** 2
    freqs = np.fft.rfftfreq(len(part), 1 / rate)
    return float(power[(freqs > 950) & (freqs < 1050)].sum() / power.sum())


def formats(path: Path) -> list[tuple[str, str]]:
    with av.open(str(path)) as media:
        return [(stream.type, stream.codec_context.name) for stream in media.streams]


def test_audio_keeps_its_format_and_is_bleeped_only_where_asked(tmp_path: Path) -> None:
    for name in ("jfk.flac", "hotwords.mp3", "stereo_diarization.wav"):
        path = tmp_path / name
        shutil.copy(SHARED_DATA / name, path)
        before = formats(path)
        bleep_media(path, [(1.0, 2.0)])
        assert formats(path) == before, name
        samples, original = read_mono(path), read_mono(SHARED_DATA / name)
        assert tone_share(samples, 1.1, 1.9) > 0.9 > 0.1 > tone_share(original, 1.1, 1.9), name
        assert tone_share(samples, 2.3, 2.9) < 0.1, name


def test_video_is_copied_and_its_audio_bleeped(tmp_path: Path) -> None:
    path = make_mp4(SHARED_DATA / "jfk.flac", tmp_path / "talk.mp4")
    bleep_media(path, [(3.0, 4.0)])
    assert formats(path) == [("video", "mpeg4"), ("audio", "aac")]
    assert tone_share(read_mono(path), 3.1, 3.9) > 0.9
