"""Voiceprint matching on real voices: the same voice in two halves of a file, different voices."""

from __future__ import annotations

import numpy as np
import pytest

from convoscope.pipeline.diarize import DEFAULT_MATCH_THRESHOLD, DiarizationResult, diarize, match_voiceprints
from convoscope.pipeline.diarize.enroll import name_speakers
from tests.fixtures.diarization import load, read_rttm

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("encoder")]


def test_same_voices_match_across_halves(conv2: np.ndarray) -> None:
    half = len(conv2) // 2
    first, second = diarize(conv2[:half]), diarize(conv2[half:])
    assert first.speakers == second.speakers == ("S0", "S1")  # each half starts with speaker 1
    assert match_voiceprints(second.voiceprints, first.voiceprints, DEFAULT_MATCH_THRESHOLD) == {
        "S0": "S0",
        "S1": "S1",
    }


def test_similar_voices_pair_one_to_one(pyannote_sample: np.ndarray) -> None:
    cut = int(18.6 * 16_000)  # both speakers talk in both parts
    first, second = diarize(pyannote_sample[:cut]), diarize(pyannote_sample[cut:])
    matched = match_voiceprints(second.voiceprints, first.voiceprints, DEFAULT_MATCH_THRESHOLD)
    assert sorted(matched.values()) == sorted(set(matched.values()))  # never two onto one
    assert len(matched) == 2


def test_different_voices_do_not_match(conv2: np.ndarray, pyannote_sample: np.ndarray) -> None:
    known = {f"conv2-{k}": v for k, v in diarize(conv2).voiceprints.items()}
    assert match_voiceprints(diarize(pyannote_sample).voiceprints, known, DEFAULT_MATCH_THRESHOLD) == {}
    one = diarize(conv2[: len(conv2) // 2]).voiceprints
    assert match_voiceprints({"new": one["S1"]}, {"known": one["S0"]}, DEFAULT_MATCH_THRESHOLD) == {}


def _who(result: DiarizationResult, clip: str) -> dict[str, str]:
    """Diarized label -> the reference person (RTTM) it shares most time with."""
    shared: dict[str, dict[str, float]] = {}
    for turn in result.turns:
        for start, end, person in read_rttm(f"{clip}.rttm"):
            seconds = max(0.0, min(end, turn.end) - max(start, turn.start))
            by_person = shared.setdefault(turn.speaker, {})
            by_person[person] = by_person.get(person, 0.0) + seconds
    return {label: max(people, key=lambda p: people[p]) for label, people in shared.items()}


def test_a_library_names_an_enrolled_caller_in_another_part_of_the_call() -> None:
    # The agent of a real 8 kHz call, enrolled from its first minute, is named in a later minute; the
    # caller, not enrolled, stays unnamed although the two voices are alike (0.65-0.69), and two
    # enrolled AMI meeting voices name nobody (bench/diarize/voices.py measures every such pair).
    first, later = "lca_repairs49_a_2spk_8k", "lca_repairs49_b_2spk_8k"
    enrolled = diarize(load(f"{first}.wav"))
    agent = next(label for label, person in _who(enrolled, first).items() if person == "agent")
    meeting = diarize(load("ami_dev00_2spk.wav")).voiceprints
    library = {"agent": [enrolled.voiceprints[agent]], **{f"ami-{k}": [v] for k, v in meeting.items()}}
    result = diarize(load(f"{later}.wav"))
    named = name_speakers(result.voiceprints, library)
    assert {_who(result, later)[label]: voice for label, voice in named.items()} == {"agent": "agent"}


def test_a_person_enrolled_twice_is_named_by_the_closer_voiceprint() -> None:
    # Two enrollments of one person are both close to their speaker; they must not count as a
    # runner-up against each other (which would leave the person unnamed).
    speaker = {"S0": (0.9, 0.436, 0.0)}
    assert name_speakers(speaker, {"ann": [(1.0, 0.0, 0.0), (0.8, 0.6, 0.0)], "bo": [(0.0, 0.0, 1.0)]}) == {
        "S0": "ann"
    }
    assert name_speakers(speaker, {"ann": [(1.0, 0.0, 0.0)], "ann-again": [(0.8, 0.6, 0.0)]}) == {}
    assert name_speakers(speaker, {"ann": [(1.0, 0.0)]}) == {}  # another model's size never matches


def test_empty_inputs() -> None:
    assert match_voiceprints({}, {"a": (1.0, 0.0)}, 0.5) == {}
    assert match_voiceprints({"a": (1.0, 0.0)}, {}, 0.5) == {}


def test_threshold_and_pairing_on_plain_vectors() -> None:
    known = {"m1": (1.0, 0.0, 0.0), "m2": (0.0, 1.0, 0.0)}
    new = {"S0": (0.1, 0.99, 0.0), "S1": (0.99, 0.05, 0.0), "S2": (0.0, 0.0, 1.0)}
    assert match_voiceprints(new, known, 0.9) == {"S0": "m2", "S1": "m1"}
    # one-to-one: both new voices resemble m1 best, only the closer one gets it
    new = {"S0": (0.95, 0.31, 0.0), "S1": (0.99, 0.1, 0.0)}
    assert match_voiceprints(new, known, 0.2) == {"S1": "m1", "S0": "m2"}
    assert match_voiceprints(new, known, 0.5) == {"S1": "m1"}
