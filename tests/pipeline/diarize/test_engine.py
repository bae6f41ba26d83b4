"""`diarize` on real recordings with the real voice encoder."""

from __future__ import annotations

from itertools import pairwise

import numpy as np
import pytest

from convoscope.pipeline.diarize import DiarizationResult, diarize
from convoscope.pipeline.diarize.speaker_model import EMBEDDING_SIZE
from convoscope.pipeline.diarize.tracker import SpeakerTracker
from tests.fixtures.diarization import load, read_rttm

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("encoder")]


def agreement(result: DiarizationResult, rttm: str, step: float = 0.1) -> float:
    """Share of reference speech time (single-speaker parts) whose system speaker maps to it."""
    reference = read_rttm(rttm)
    speakers = sorted({s for _, _, s in reference})
    counts: dict[tuple[str, str], float] = {}
    total = 0.0
    for t in np.arange(0.0, max(e for _, e, _ in reference), step):
        ref = {s for a, b, s in reference if a <= t < b}
        hyp = [turn.speaker for turn in result.turns if turn.start <= t < turn.end]
        if len(ref) == 1:
            total += 1
            if hyp:
                key = (hyp[0], ref.pop())
                counts[key] = counts.get(key, 0.0) + 1
    best = max(
        counts.get(("S0", a), 0) + counts.get(("S1", b), 0) for a in speakers for b in speakers if a != b
    )
    return best / total


def check_turns(result: DiarizationResult) -> None:
    assert result.turns
    for turn in result.turns:
        assert turn.end > turn.start
    for a, b in pairwise(result.turns):
        assert a.end <= b.start
    assert result.turns[0].speaker == "S0"
    assert set(result.voiceprints) == set(result.speakers)
    for voiceprint in result.voiceprints.values():
        assert len(voiceprint) == EMBEDDING_SIZE
        assert np.linalg.norm(voiceprint) == pytest.approx(1.0, abs=1e-6)


def test_conv2_two_speakers_without_being_told(conv2_result: DiarizationResult) -> None:
    assert conv2_result.speakers == ("S0", "S1")
    check_turns(conv2_result)
    # twelve alternating utterances with 0.4 s gaps: twelve turns, alternating
    assert [t.speaker for t in conv2_result.turns] == ["S0", "S1"] * 6
    assert agreement(conv2_result, "conv2_harvard.rttm") > 0.97


def test_pyannote_sample_two_speakers_without_being_told(pyannote_result: DiarizationResult) -> None:
    assert pyannote_result.speakers == ("S0", "S1")
    check_turns(pyannote_result)
    assert agreement(pyannote_result, "pyannote_sample.rttm") > 0.85


def test_num_speakers_is_honoured(conv2: np.ndarray, pyannote_sample: np.ndarray) -> None:
    assert len(diarize(conv2, num_speakers=3).speakers) == 3
    assert diarize(pyannote_sample, num_speakers=1).speakers == ("S0",)
    assert diarize(pyannote_sample, num_speakers=2).speakers == ("S0", "S1")


def test_max_speakers_caps_the_estimate(conv2: np.ndarray) -> None:
    assert diarize(conv2, max_speakers=1).speakers == ("S0",)


def test_single_speaker_gives_one_speaker() -> None:
    result = diarize(load("jfk.flac"))
    assert result.speakers == ("S0",)
    assert result.turns[0].start < 1.0 and result.turns[-1].end > 10.0


def test_silence_gives_no_turns() -> None:
    result = diarize(np.zeros(16_000 * 5, dtype=np.float32))
    assert result.turns == ()
    assert result.voiceprints == {}


def test_audio_shorter_than_a_window() -> None:
    clip = load("jfk.flac")[int(0.3 * 16_000) : int(1.2 * 16_000)]  # 0.9 s: "And so"
    result = diarize(clip)
    assert result.speakers == ("S0",)


def test_bad_arguments_are_refused(conv2: np.ndarray) -> None:
    with pytest.raises(ValueError):
        diarize(np.stack([conv2, conv2]))
    with pytest.raises(ValueError):
        diarize(conv2, num_speakers=0)


def test_a_tracker_on_idle_cores_finds_what_one_thread_finds(pyannote_sample: np.ndarray) -> None:
    # The job's default (`DIARIZATION_THREADS=0`): as many torch threads as cores are idle when a
    # window's diarization starts; the networks give the same values on any thread count.
    one, idle = SpeakerTracker(threads=1), SpeakerTracker(threads=0)
    one(pyannote_sample, [])
    idle(pyannote_sample, [])
    assert one.voiceprints() == idle.voiceprints() and len(one.voiceprints()) == 2
    assert one.overlaps == idle.overlaps
