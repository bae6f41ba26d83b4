"""Decoding, probing and bleeping in a child process (`pipeline.isolated`): the same audio as in
process, a crash or a hang of the child as a `MediaError`, and the time limit counting decoding only."""

from __future__ import annotations

import time
from pathlib import Path

import av
import numpy as np
import pytest

from convoscope.pipeline import decode, isolated
from convoscope.pipeline.bleep import bleep_media
from tests.fixtures import crashing
from tests.fixtures import hostile_media as hostile
from tests.fixtures.paths import SHARED_DATA


@pytest.fixture
def eight_channels(tmp_path: Path) -> Path:
    path = tmp_path / "eight.wav"
    path.write_bytes(hostile.multichannel_wav(8, seconds=3))
    return path


def test_eight_channels_decode_in_a_child_as_in_process(eight_channels: Path) -> None:
    """8 channels crashed PyAV's planar `to_ndarray`; both paths now give the same audio."""
    child = np.concatenate(list(isolated.iter_frames(eight_channels, split_channels=True)), axis=1)
    here = decode.decode(eight_channels, split_channels=True)
    assert child.shape == here.shape == (8, 3 * decode.SAMPLE_RATE)
    assert np.array_equal(child, here)
    tones = np.abs(np.fft.rfft(here[:, : decode.SAMPLE_RATE], axis=1)).argmax(axis=1)
    assert list(tones) == [220 + 55 * c for c in range(8)]  # 1 Hz bins: each channel kept its own tone


def test_a_probe_in_a_child_reads_the_headers(eight_channels: Path) -> None:
    info = isolated.probe(eight_channels)
    assert (info.channels, info.format) == (8, "wav") and info.duration == pytest.approx(3.0)
    with pytest.raises(decode.TooManyChannelsError, match="8 channels, more than the limit of 4"):
        isolated.probe(eight_channels, max_channels=4)


def _probed(path: Path, **options: object) -> tuple[decode.MediaInfo, np.ndarray]:
    with isolated.probed_frames(path, **options) as (info, blocks):  # type: ignore[arg-type]
        return info, np.concatenate(list(blocks), axis=1)


@pytest.mark.parametrize("separate", [False, True], ids=["mixed", "split"])
def test_one_child_probes_and_decodes_as_the_two_steps_do(eight_channels: Path, separate: bool) -> None:
    info, audio = _probed(eight_channels, separate_channels=separate)
    assert info == isolated.probe(eight_channels)
    here = decode.decode(eight_channels, split_channels=separate)
    assert np.array_equal(audio, here if separate else here[np.newaxis, :])


def test_what_the_probe_refuses_fails_before_any_audio(eight_channels: Path) -> None:
    with pytest.raises(decode.TooManyChannelsError, match="8 channels, more than the limit of 4"):
        _probed(eight_channels, max_channels=4)
    # Split, 8 channels of 3 s are 24 s to transcribe: over a 20 s limit, though each is under it.
    with pytest.raises(decode.MediaTooLongError, match="8 channels of 0:00:03"):
        _probed(eight_channels, separate_channels=True, max_duration=20.0)
    assert _probed(eight_channels, max_duration=20.0)[1].shape == (1, 3 * decode.SAMPLE_RATE)


@pytest.mark.parametrize("crash", [crashing.abort_decoder, crashing.segfault_decoder])
def test_a_crashing_probing_child_is_a_media_error(
    eight_channels: Path, monkeypatch: pytest.MonkeyPatch, crash: object
) -> None:
    monkeypatch.setattr(isolated, "probed_frames_target", lambda: crash)
    with pytest.raises(decode.DecoderCrashedError, match=r"decoder crashed on this file \(signal SIG"):
        _probed(eight_channels)


@pytest.mark.parametrize("crash", [crashing.abort_decoder, crashing.segfault_decoder])
def test_a_crashing_child_is_a_media_error(
    eight_channels: Path, monkeypatch: pytest.MonkeyPatch, crash: object
) -> None:
    monkeypatch.setattr(isolated, "frames_target", lambda: crash)
    with pytest.raises(decode.DecoderCrashedError, match=r"decoder crashed on this file \(signal SIG"):
        list(isolated.iter_frames(eight_channels))


def test_a_hanging_child_is_killed_at_the_time_limit(
    eight_channels: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(isolated, "frames_target", lambda: crashing.stalled_decoder)
    started = time.monotonic()
    with pytest.raises(decode.DecodeTimeoutError, match="longer than 1 s"):
        list(isolated.iter_frames(eight_channels, timeout=1.0))
    assert time.monotonic() - started < 10


@pytest.mark.parametrize("frames", [decode.iter_frames, isolated.iter_frames], ids=["here", "child"])
def test_the_time_limit_counts_decoding_not_the_consumer(eight_channels: Path, frames: object) -> None:
    """The consumer (transcription) holds blocks longer than the whole limit: no timeout.

    Only the first three blocks are held (1.8 s in all, over three times the limit): in process the
    file comes in some fifty small blocks, and holding every one took half a minute."""
    produced = 0
    for index, block in enumerate(frames(eight_channels, timeout=0.5)):  # type: ignore[operator]
        if index < 3:
            time.sleep(0.6)
        produced += block.shape[1]
    assert produced == 3 * decode.SAMPLE_RATE


def test_bleeping_eight_channels_in_a_child(eight_channels: Path) -> None:
    isolated.call(bleep_media, eight_channels, [(1.0, 2.0)], timeout=60)
    audio = decode.decode(eight_channels, split_channels=True)
    assert audio.shape == (8, 3 * decode.SAMPLE_RATE)
    middle = audio[:, int(1.2 * decode.SAMPLE_RATE) : int(1.8 * decode.SAMPLE_RATE)]
    peaks = np.abs(np.fft.rfft(middle, axis=1)).argmax(axis=1) / (middle.shape[1] / decode.SAMPLE_RATE)
    assert np.allclose(peaks, 1000.0, atol=3)  # the tone, on every channel


@pytest.mark.parametrize(
    "playlist", [hostile.ffconcat_naming, hostile.hls_playlist_naming], ids=["ffconcat", "hls"]
)
def test_playlists_are_refused_before_they_open_anything(tmp_path: Path, playlist: object) -> None:
    (tmp_path / "named.flac").write_bytes((SHARED_DATA / "jfk.flac").read_bytes())
    path = tmp_path / "upload.m3u8"  # the name that makes FFmpeg pick its HLS demuxer
    path.write_bytes(playlist("named.flac"))  # type: ignore[operator]
    attempts = (decode.probe, isolated.probe, lambda p: list(isolated.iter_frames(p)), _probed)
    for attempt in attempts:
        with pytest.raises(decode.UnsupportedFormatError, match="format is not accepted"):
            attempt(path)


def test_real_formats_still_open(tmp_path: Path) -> None:
    for name in ("jfk.flac", "hotwords.mp3"):
        assert isolated.probe(SHARED_DATA / name).duration > 1
    with av.open(str(tmp_path / "clip.ogg"), "w", format="ogg") as out:
        stream = out.add_stream("libopus", rate=48000, layout="mono")
        frame = av.AudioFrame.from_ndarray(np.zeros((1, 48000), dtype=np.int16), format="s16", layout="mono")
        frame.sample_rate = 48000
        for packet in [*stream.encode(frame), *stream.encode(None)]:
            out.mux(packet)
    assert decode.probe(tmp_path / "clip.ogg").format == "ogg"
