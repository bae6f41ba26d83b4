"""`diarize` on real meeting excerpts (AMI, tests/data/meetings): counts with short replies, 8 kHz."""

from __future__ import annotations

import pytest

from convoscope.pipeline.diarize import diarize
from tests.fixtures.diarization import load, read_rttm

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("encoder")]


def test_two_people_with_short_replies_are_two_speakers() -> None:
    # Replies of 0.3-1 s ("yeah", "okay") must join a voice, not start new ones.
    result = diarize(load("ami_dev00_2spk.wav"))
    assert len(result.speakers) == 2
    short = [t for t in read_rttm("ami_dev00_2spk.rttm") if t[1] - t[0] < 1.2]
    assert short  # the reference does have short replies


def test_the_same_call_over_a_telephone_line_is_two_speakers() -> None:
    assert len(diarize(load("ami_dev00_2spk_8k.wav")).speakers) == 2


def test_four_people_with_heavy_overlap_count_within_one() -> None:
    assert len({s for _, _, s in read_rttm("ami_tst00_4spk.rttm")}) == 4
    assert 3 <= len(diarize(load("ami_tst00_4spk.wav")).speakers) <= 5


def test_a_given_count_is_honoured_on_a_meeting() -> None:
    assert len(diarize(load("ami_tst00_4spk.wav"), num_speakers=4).speakers) == 4


def test_people_who_talk_little_beside_a_dominant_speaker_are_counted() -> None:
    # ami_trn06: one voice holds 26 of 30 s, the two others 3.2 s and 1.6 s. Clustering alone gave
    # one speaker; segmentation hears a second person apart in one 10 s chunk (bench: 1 -> 2).
    assert len({s for _, _, s in read_rttm("ami_trn06_3spk.rttm")}) == 3
    audio = load("ami_trn06_3spk.wav")
    assert 2 <= len(diarize(audio).speakers) <= 4
    assert len(diarize(audio, num_speakers=3).speakers) == 3
