"""Probing and decoding real audio, containers made from it with PyAV, and every kind of bad input."""

from __future__ import annotations

import wave
import weakref
from pathlib import Path

import numpy as np
import pytest

from convoscope.pipeline import decode
from tests.fixtures.media import encode, jfk_seconds
from tests.fixtures.paths import SHARED_DATA as DATA
from tests.fixtures.paths import TEST_DATA


def test_probe_reads_headers_of_real_files() -> None:
    info = decode.probe(DATA / "jfk.flac")
    assert info == decode.MediaInfo(11.0, 2, 44100, True, "flac", "flac")
    phone = decode.probe(DATA / "osr_us_000_0034_8k.wav")
    assert (phone.sample_rate, phone.channels) == (8000, 1)
    assert phone.duration == pytest.approx(35.55, abs=0.01)


def test_decode_mono_and_per_channel() -> None:
    mono = decode.decode(DATA / "jfk.flac")
    assert mono.dtype == np.float32 and mono.shape == (11 * decode.SAMPLE_RATE,)
    assert 0.1 < np.abs(mono).max() <= 1.0
    stereo = decode.decode(DATA / "stereo_diarization.wav", split_channels=True)
    assert stereo.shape == (2, 5 * decode.SAMPLE_RATE)
    assert not np.allclose(stereo[0], stereo[1])  # one speaker per channel
    phone = decode.decode(DATA / "osr_us_000_0034_8k.wav")  # 8 kHz resampled to 16 kHz
    assert phone.shape[0] == pytest.approx(35.55 * decode.SAMPLE_RATE, abs=160)


def test_iter_chunks_yields_fixed_length_blocks() -> None:
    chunks = list(decode.iter_chunks(DATA / "jfk.flac", 4.0))
    assert [c.shape[0] for c in chunks] == [64000, 64000, 48000]
    assert np.array_equal(np.concatenate(chunks), decode.decode(DATA / "jfk.flac"))
    split = list(decode.iter_chunks(DATA / "stereo_diarization.wav", 2.0, split_channels=True))
    assert [c.shape for c in split] == [(2, 32000), (2, 32000), (2, 16000)]


@pytest.mark.parametrize("split", [False, True])
def test_chunked_keeps_no_chunk_while_the_consumer_works(split: bool) -> None:
    """A long job joins each window from the chunk it was given: a chunk the generator still held
    would be a second copy of the window's audio (37 MB for 10 minutes)."""
    blocks = (np.full((2, 3000), index, dtype=np.float32) for index in range(7))
    chunks = decode.chunked(blocks, 4000 / decode.SAMPLE_RATE, split_channels=split)
    seen = []
    for chunk in chunks:
        seen.append(float(chunk[..., 0].max()))
        owner = weakref.ref(chunk.base if chunk.base is not None else chunk)
        del chunk
        assert owner() is None  # freed before the generator runs again
    assert seen == [0.0, 1.0, 2.0, 4.0, 5.0, 6.0]


@pytest.mark.parametrize(
    ("name", "fmt", "codec", "rate", "layout", "video"),
    [
        ("clip.mp4", "mp4", "aac", 44100, "stereo", "mpeg4"),
        ("clip.mkv", "matroska", "libopus", 48000, "stereo", "libx264"),
        ("clip.mov", "mov", "aac", 16000, "mono", "mpeg4"),
        ("clip.webm", "webm", "libopus", 48000, "mono", None),
        ("clip.ogg", "ogg", "libopus", 48000, "mono", None),
        ("clip.m4a", "ipod", "aac", 16000, "mono", None),
        ("clip.aiff", "aiff", "pcm_s16be", 16000, "mono", None),
        ("clip.mp3", "mp3", "libmp3lame", 16000, "mono", None),
    ],
)
def test_containers_made_from_real_audio_decode(
    tmp_path: Path, name: str, fmt: str, codec: str, rate: int, layout: str, video: str | None
) -> None:
    path = encode(tmp_path / name, jfk_seconds(3.0), fmt, codec, rate, layout, video)
    info = decode.probe(path)
    assert info.has_audio and info.duration == pytest.approx(3.0, abs=0.1)
    audio = decode.decode(path)
    assert audio.shape[0] == pytest.approx(3 * decode.SAMPLE_RATE, abs=0.1 * decode.SAMPLE_RATE)
    assert np.abs(audio).max() > 0.05


def test_amr_phone_recording_decodes() -> None:
    """AMR-NB (8 kHz phone and voice-memo recordings) through FFmpeg's own decoder. The file is
    committed: PyAV wheels from 18.1.1 on no longer carry the encoder that made it."""
    path = TEST_DATA / "jfk_3s.amr"
    info = decode.probe(path)
    assert info.has_audio and info.duration == pytest.approx(3.0, abs=0.1)
    audio = decode.decode(path)
    assert audio.shape[0] == pytest.approx(3 * decode.SAMPLE_RATE, abs=0.1 * decode.SAMPLE_RATE)
    original = jfk_seconds(3.0)
    assert np.abs(audio).max() > 0.05
    # The same speech, not only some sound: its loudness follows the original's, 0.25 s at a time.
    frames = 3 * decode.SAMPLE_RATE // 4000
    ours = np.abs(audio[: frames * 4000]).reshape(frames, 4000).mean(axis=1)
    theirs = np.abs(original[: frames * 4000]).reshape(frames, 4000).mean(axis=1)
    assert np.corrcoef(ours, theirs)[0, 1] > 0.9


def test_empty_file_is_not_media(tmp_path: Path) -> None:
    path = tmp_path / "empty.mp3"
    path.write_bytes(b"")
    with pytest.raises(decode.NotMediaError, match="empty"):
        decode.probe(path)


def test_text_file_is_not_media(tmp_path: Path) -> None:
    path = tmp_path / "notes.wav"
    path.write_text("This is not audio at all, just a few words of text.\n" * 20)
    with pytest.raises(decode.NotMediaError, match="not a readable audio or video file"):
        decode.probe(path)
    with pytest.raises(decode.NotMediaError):
        decode.decode(path)


def test_truncated_mp3_is_reported_as_damaged(tmp_path: Path) -> None:
    path = tmp_path / "cut.mp3"
    path.write_bytes((DATA / "hotwords.mp3").read_bytes()[:20000])
    decode.probe(path)  # the headers still announce 4 s: only decoding can tell
    with pytest.raises(decode.CorruptMediaError, match="truncated"):
        decode.decode(path)
    path.write_bytes((DATA / "hotwords.mp3").read_bytes()[:500])  # not even one frame
    with pytest.raises(decode.MediaError):
        decode.probe(path)


def test_zero_length_audio(tmp_path: Path) -> None:
    path = tmp_path / "silent.wav"
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(16000)
        w.writeframes(b"")
    with pytest.raises(decode.EmptyMediaError, match="zero length"):
        decode.probe(path)
    with pytest.raises(decode.EmptyMediaError):
        decode.decode(path)


def test_video_without_audio(tmp_path: Path) -> None:
    path = encode(tmp_path / "mute.mp4", None, "mp4", video="mpeg4")
    with pytest.raises(decode.NoAudioError, match="no audio stream"):
        decode.probe(path)
    with pytest.raises(decode.NoAudioError):
        decode.decode(path)


def test_too_long_and_decode_timeout() -> None:
    with pytest.raises(decode.MediaTooLongError, match="longer than the limit of 0:00:05"):
        decode.probe(DATA / "jfk.flac", max_duration=5)
    with pytest.raises(decode.MediaTooLongError):
        decode.decode(DATA / "jfk.flac", max_duration=5)
    with pytest.raises(decode.DecodeTimeoutError, match="decoding took longer"):
        decode.decode(DATA / "jfk.flac", timeout=0)


def test_errors_share_one_root() -> None:
    for cls in (
        decode.NotMediaError,
        decode.NoAudioError,
        decode.EmptyMediaError,
        decode.CorruptMediaError,
        decode.MediaTooLongError,
        decode.DecodeTimeoutError,
    ):
        assert issubclass(cls, decode.MediaError)
