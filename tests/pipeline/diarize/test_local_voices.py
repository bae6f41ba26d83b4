"""`local_voices`: people that segmentation hears apart within one chunk, on real audio."""

from __future__ import annotations

import numpy as np
import pytest

from convoscope.pipeline.diarize import segmentation
from convoscope.pipeline.diarize.local_voices import distinct, distinct_voices
from tests.fixtures.diarization import load

pytestmark = pytest.mark.usefixtures("encoder")


def test_distinct_takes_the_largest_pairwise_unlike_set() -> None:
    a, b = np.array([1.0, 0.0, 0.0]), np.array([0.0, 1.0, 0.0])
    near_a = np.array([0.9, 0.1, 0.0]) / np.linalg.norm([0.9, 0.1, 0.0])
    assert sorted(distinct(np.stack([a, near_a, b]), 0.2).tolist()) in ([0, 2], [1, 2])
    assert len(distinct(np.stack([a, near_a]), 0.2)) == 1
    assert len(distinct(np.stack([a, b, np.array([0.0, 0.0, 1.0])]), 0.2)) == 3


@pytest.mark.slow
def test_a_quiet_second_person_is_heard_apart_from_the_dominant_one() -> None:
    audio = load("ami_trn06_3spk.wav")
    voices = distinct_voices(audio, segmentation.segment(audio), found=1)
    assert len(voices) == 2
    assert float(voices[0] @ voices[1]) < 0.2


@pytest.mark.slow
def test_one_voice_is_never_two_people() -> None:
    for name in ("osr_us_000_0034_8k.wav", "jfk.flac"):
        audio = load(name)
        assert len(distinct_voices(audio, segmentation.segment(audio), found=1)) == 0


@pytest.mark.slow
def test_nothing_is_embedded_when_no_chunk_has_more_local_speakers_than_found() -> None:
    audio = load("conv2_harvard.wav")  # two voices, two local speakers per chunk
    assert len(distinct_voices(audio, segmentation.segment(audio), found=2)) == 0
