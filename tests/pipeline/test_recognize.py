"""process_media end to end on real audio with a real model (tiny.en)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from convoscope.pipeline import decode
from convoscope.pipeline.models.pool import ModelPool
from convoscope.pipeline.recognize import AudioResult, MediaLimits, iter_windows, process_media
from convoscope.pipeline.transcribe import TranscriptionOptions
from convoscope.pipeline.types import Word
from tests.fixtures.media import encode, jfk_seconds
from tests.fixtures.paths import SHARED_DATA as DATA

pytestmark = pytest.mark.slow

TINY = TranscriptionOptions(model="tiny.en")


@pytest.fixture(scope="module")
def jfk(speech_pool: ModelPool) -> AudioResult:
    return process_media(DATA / "jfk.flac", TINY, speech_pool)


def test_jfk_sentences(jfk: AudioResult) -> None:
    result = jfk
    assert result.duration == pytest.approx(11.0) and result.channels == 2 and result.language == "en"
    text = " ".join(s.text for s in result.sentences)
    assert "ask not what your country can do for you" in text.lower()
    for s in result.sentences:
        assert s.text == s.text.strip() and "  " not in s.text
        assert s.start == s.words[0].start and s.end >= s.words[-1].end - 1e-9
        assert 0.0 <= s.start < s.end <= 11.0
    assert set(result.timings) >= {"decode", "transcribe", "segment", "total"}


def test_time_offset_continues_the_timeline(speech_pool: ModelPool, jfk: AudioResult) -> None:
    plain = jfk
    shifted = process_media(DATA / "jfk.flac", TINY, speech_pool, time_offset=42.5)
    assert [s.text for s in shifted.sentences] == [s.text for s in plain.sentences]
    for a, b in zip(plain.sentences, shifted.sentences, strict=True):
        assert b.start == pytest.approx(a.start + 42.5) and b.end == pytest.approx(a.end + 42.5)
        assert b.words[0].start == pytest.approx(a.words[0].start + 42.5)
    assert shifted.duration == plain.duration  # the media's own length


def test_stereo_per_channel_recognition(speech_pool: ModelPool) -> None:
    options = TranscriptionOptions(model="tiny.en", separate_channels=True)
    result = process_media(DATA / "stereo_diarization.wav", options, speech_pool)
    assert result.channels == 2
    by_channel = {c: " ".join(s.text for s in result.sentences if s.channel == c).lower() for c in (0, 1)}
    assert "wizard" in by_channel[0] and "horizon" not in by_channel[0]
    assert "horizon" in by_channel[1] and "wizard" not in by_channel[1]
    assert all(w.channel == s.channel for s in result.sentences for w in s.words)
    starts = [s.start for s in result.sentences]
    assert starts == sorted(starts)  # interleaved by time


def test_phone_mode_on_8khz_audio(speech_pool: ModelPool) -> None:
    options = TranscriptionOptions(mode="phone", model="tiny.en")
    result = process_media(DATA / "osr_us_000_0034_8k.wav", options, speech_pool)
    text = " ".join(s.text for s in result.sentences).lower()
    for phrase in (
        "long journey home took a year",
        "pink shell was found on the sandy beach",
        "severe storm",
    ):
        assert phrase in text
    assert len(result.sentences) >= 8


@pytest.mark.parametrize(
    ("name", "fmt", "codec", "video"),
    [("talk.mp4", "mp4", "aac", "mpeg4"), ("talk.mkv", "matroska", "libopus", "libx264")],
)
def test_video_made_from_real_audio(
    speech_pool: ModelPool, tmp_path: Path, name: str, fmt: str, codec: str, video: str
) -> None:
    rate = 48000 if codec == "libopus" else 44100
    path = encode(tmp_path / name, jfk_seconds(11.0), fmt, codec, rate, "stereo", video)
    result = process_media(path, TINY, speech_pool)
    assert "ask not what your country" in " ".join(s.text for s in result.sentences).lower()


def test_bad_media_raises_media_errors(speech_pool: ModelPool, tmp_path: Path) -> None:
    text = tmp_path / "a.mp3"
    text.write_text("hello")
    with pytest.raises(decode.NotMediaError):
        process_media(text, TINY, speech_pool)
    mute = encode(tmp_path / "mute.mp4", None, "mp4", video="mpeg4")
    with pytest.raises(decode.NoAudioError):
        process_media(mute, TINY, speech_pool)
    with pytest.raises(decode.MediaTooLongError):
        process_media(DATA / "jfk.flac", TINY, speech_pool, limits=MediaLimits(max_duration=3.0))


def test_speaker_hook_runs_between_transcription_and_segmentation(speech_pool: ModelPool) -> None:
    seen: list[tuple[int, int]] = []

    def two_speakers(audio: np.ndarray, words: list[Word]) -> list[Word]:
        seen.append((audio.ndim, len(words)))
        return [
            Word(w.text, w.start, w.end, w.probability, w.channel, "A" if w.start < 5 else "B") for w in words
        ]

    result = process_media(DATA / "jfk.flac", TINY, speech_pool, assign_speakers=two_speakers)
    assert seen and seen[0][0] == 1
    assert {s.speaker for s in result.sentences} == {"A", "B"}
    assert all(len({w.speaker for w in s.words}) == 1 for s in result.sentences)


def test_long_media_is_processed_in_windows_cut_at_quiet_points(speech_pool: ModelPool) -> None:
    limits = MediaLimits(window=4.0, quiet_search=2.0)
    windows = list(iter_windows(DATA / "jfk.flac", False, limits))
    assert len(windows) >= 2
    total = sum(w.shape[1] for _, w in windows)
    assert total == 11 * decode.SAMPLE_RATE
    assert [start for start, _ in windows] == sorted(start for start, _ in windows)
    whole = np.concatenate([w for _, w in windows], axis=1)[0]
    assert np.array_equal(whole, decode.decode(DATA / "jfk.flac"))
    # A file that ends exactly at a block boundary: its last tail comes as a window of its own.
    exact = list(iter_windows(DATA / "jfk.flac", False, MediaLimits(window=5.5, quiet_search=2.0)))
    assert len(exact) == 3 and sum(w.shape[1] for _, w in exact) == total
    assert np.array_equal(np.concatenate([w for _, w in exact], axis=1), whole[None, :])
    result = process_media(
        DATA / "jfk.flac", TINY, speech_pool, limits=MediaLimits(window=6.0, quiet_search=3.0)
    )
    text = " ".join(s.text for s in result.sentences).lower()
    assert "ask not what your country can do" in text and "what you can do for your country" in text
    assert [s.start for s in result.sentences] == sorted(s.start for s in result.sentences)
