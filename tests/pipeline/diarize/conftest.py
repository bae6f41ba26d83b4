"""Real audio from ../shared/data and the real voice encoder, loaded once per session."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from convoscope.pipeline.diarize import DiarizationResult, diarize, get_encoder

DATA = Path(__file__).resolve().parents[4] / "shared" / "data"


def load(name: str) -> np.ndarray:
    from faster_whisper.audio import decode_audio

    return np.asarray(decode_audio(str(DATA / name), sampling_rate=16_000), dtype=np.float32)


def read_rttm(name: str) -> list[tuple[float, float, str]]:
    turns = []
    for line in (DATA / name).read_text().splitlines():
        parts = line.split()
        if parts and parts[0] == "SPEAKER":
            turns.append((float(parts[3]), float(parts[3]) + float(parts[4]), parts[7]))
    return turns


@pytest.fixture(scope="session")
def encoder() -> None:
    if not DATA.is_dir():
        pytest.skip(f"shared audio not found at {DATA}")
    get_encoder()


@pytest.fixture(scope="session")
def conv2(encoder: None) -> np.ndarray:
    return load("conv2_harvard.wav")


@pytest.fixture(scope="session")
def pyannote_sample(encoder: None) -> np.ndarray:
    return load("pyannote_sample.wav")


@pytest.fixture(scope="session")
def conv2_result(conv2: np.ndarray) -> DiarizationResult:
    return diarize(conv2)


@pytest.fixture(scope="session")
def pyannote_result(pyannote_sample: np.ndarray) -> DiarizationResult:
    return diarize(pyannote_sample)
