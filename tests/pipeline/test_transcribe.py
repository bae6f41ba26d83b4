"""Speech to text with a real model (tiny.en) on real audio."""

from __future__ import annotations

import numpy as np
import pytest
from faster_whisper import WhisperModel

from convoscope.pipeline import decode
from convoscope.pipeline.models.pool import ModelPool
from convoscope.pipeline.transcribe import TranscriptionOptions, UnsupportedLanguageError, transcribe
from convoscope.pipeline.types import Word
from tests.fixtures.paths import SHARED_DATA as DATA


@pytest.fixture(scope="session")
def tiny(speech_pool: ModelPool) -> WhisperModel:
    return speech_pool.get("tiny.en")


@pytest.mark.slow
@pytest.mark.parametrize("batched", [True, False])
def test_jfk_words_with_sane_times(tiny: WhisperModel, batched: bool) -> None:
    audio = decode.decode(DATA / "jfk.flac")
    result = transcribe(tiny, audio, TranscriptionOptions(batched=batched))
    text = "".join(w.text for w in result.words).lower()
    assert "ask not what your country can do for you" in text
    assert result.language == "en" and result.duration == pytest.approx(11.0)
    assert 8.0 < result.speech_duration <= 11.0
    starts = [w.start for w in result.words]
    assert starts == sorted(starts)
    assert all(0.0 <= w.start <= w.end <= 11.0 for w in result.words)
    assert all(w.probability is not None and 0.0 < w.probability <= 1.0 for w in result.words)
    assert result.words[0].text.startswith(" ")  # whisper words carry their leading space


@pytest.mark.slow
def test_offset_and_channel_tag_words(tiny: WhisperModel) -> None:
    audio = decode.decode(DATA / "stereo_diarization.wav", split_channels=True)
    right = transcribe(tiny, audio[1], TranscriptionOptions(), channel=1, offset=100.0)
    assert "horizon" in "".join(w.text for w in right.words).lower()
    assert all(w.channel == 1 and w.start >= 100.0 for w in right.words)


@pytest.mark.slow
def test_hotwords_from_custom_vocabulary(tiny: WhisperModel) -> None:
    audio = decode.decode(DATA / "hotwords.mp3")
    plain = transcribe(tiny, audio, TranscriptionOptions())
    hinted = transcribe(tiny, audio, TranscriptionOptions(hotwords=("ComfyUI",)))

    # Spelling only: tiny.en writes the hinted name as "comfyUI" or "comfy UI" depending on the
    # encoder window and the CPU's numerics; unhinted, it hears "comfy eye".
    def spelled(words: tuple[Word, ...]) -> str:
        return "".join(w.text for w in words).replace(" ", "").lower()

    assert "comfyui" not in spelled(plain.words)
    assert "comfyui" in spelled(hinted.words)


@pytest.mark.slow
def test_too_short_audio_gives_no_words(tiny: WhisperModel) -> None:
    result = transcribe(tiny, decode.decode(DATA / "jfk.flac")[:100], TranscriptionOptions())
    assert result.words == ()


@pytest.mark.slow
def test_english_only_model_refuses_other_languages(tiny: WhisperModel) -> None:
    audio = decode.decode(DATA / "jfk.flac")
    with pytest.raises(UnsupportedLanguageError, match="English-only"):
        transcribe(tiny, audio, TranscriptionOptions(language="de"))
    with pytest.raises(ValueError, match="1-D"):
        transcribe(tiny, audio[None, :], TranscriptionOptions())


def test_options_are_frozen_and_hotwords_are_one_prompt() -> None:
    options = TranscriptionOptions(language="es", hotwords=("Convoscope", "Symbl"), mode="phone")
    assert options.hotwords_text == "Convoscope, Symbl"
    assert TranscriptionOptions().hotwords_text is None
    with pytest.raises(AttributeError):
        options.language = "en"  # type: ignore[misc]


@pytest.mark.slow
def test_short_float32_audio_goes_to_the_one_stream_copy(speech_pool: ModelPool) -> None:
    """One chunk of speech would leave a stream idle: a float32 model hands it to its one-stream copy."""
    models_dir = speech_pool.models_dir
    two = ModelPool(models_dir, streams=2, cpu_threads=1, compute_type="float32").get("tiny.en")
    one = ModelPool(models_dir, streams=1, cpu_threads=2, compute_type="float32").get("tiny.en")
    loads: list[int] = []

    def one_stream() -> WhisperModel:
        loads.append(1)
        return one

    jfk = decode.decode(DATA / "jfk.flac")
    short = transcribe(two, jfk, TranscriptionOptions(), one_stream=one_stream)
    assert loads == [1]
    assert "ask not what your country can do for you" in "".join(w.text for w in short.words).lower()
    assert [w.text for w in short.words] == [w.text for w in transcribe(one, jfk).words]
    loads.clear()
    names = ("jfk.flac", "conv2_harvard.wav", "osr_us_000_0034_8k.wav")
    long = np.concatenate([decode.decode(DATA / name) for name in names])  # about 78 s: 4 chunks
    words = transcribe(two, long, TranscriptionOptions(), one_stream=one_stream).words
    assert loads == [] and "gold ring" in "".join(w.text for w in words).lower()
