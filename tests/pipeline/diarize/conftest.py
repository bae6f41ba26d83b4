"""Real audio from ../shared/data and the real voice encoder, loaded once per session."""

from __future__ import annotations

import numpy as np
import pytest

from convoscope.pipeline.diarize import DiarizationResult, diarize
from convoscope.pipeline.diarize.speaker_model import get_model
from tests.fixtures.diarization import load
from tests.fixtures.paths import SHARED_DATA


@pytest.fixture(scope="session")
def encoder() -> None:
    if not SHARED_DATA.is_dir():
        pytest.skip(f"shared audio not found at {SHARED_DATA}")
    get_model()


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
