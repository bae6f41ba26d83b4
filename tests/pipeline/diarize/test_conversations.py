"""`diarize` on real two-person wideband conversations (tests/data/conversations) and the opening of
a four-person meeting with heavy overlap (AMI EN2002a, tests/data/meetings)."""

from __future__ import annotations

import pytest

from convoscope.pipeline.diarize import diarize
from tests.fixtures.diarization import load, read_rttm

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("encoder")]


@pytest.mark.parametrize("name", ["ms_katiesteve_a_2spk", "ms_katiesteve_b_2spk"])
def test_a_two_person_conversation_is_two_speakers(name: str) -> None:
    # A 0.56 s "Absolutely." (a) and a quiet recording peaking at -22 dBFS (b) stay with their voice.
    assert len({s for _, _, s in read_rttm(f"{name}.rttm")}) == 2
    assert len(diarize(load(f"{name}.wav")).speakers) == 2


def test_the_opening_of_an_overlapped_meeting_counts_within_one() -> None:
    # 44 s of speech in 30 s; one person says 3.6 s, mostly over others, and is not found (3 of 4).
    assert len({s for _, _, s in read_rttm("ami_en2002a_4spk.rttm")}) == 4
    assert 3 <= len(diarize(load("ami_en2002a_4spk.wav")).speakers) <= 5
