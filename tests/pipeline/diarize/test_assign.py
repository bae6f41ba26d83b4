"""`assign_speakers`: speaker per word by time overlap, else the nearest turn."""

from __future__ import annotations

from convoscope.pipeline.diarize import SpeakerTurn, assign_speakers
from convoscope.pipeline.types import Word

TURNS = (SpeakerTurn(0.0, 2.0, "S0"), SpeakerTurn(2.5, 4.0, "S1"), SpeakerTurn(6.0, 8.0, "S0"))


def speakers(words: list[Word]) -> list[str | None]:
    return [w.speaker for w in assign_speakers(words, TURNS)]


def test_inside_a_turn() -> None:
    assert speakers([Word("a", 0.1, 0.4), Word("b", 3.0, 3.3), Word("c", 7.0, 7.5)]) == ["S0", "S1", "S0"]


def test_straddling_word_takes_the_larger_overlap() -> None:
    assert speakers([Word("a", 1.9, 2.8)]) == ["S1"]  # 0.1 s in S0, 0.3 s in S1
    assert speakers([Word("a", 1.5, 2.6)]) == ["S0"]  # 0.5 s in S0, 0.1 s in S1


def test_word_in_a_gap_takes_the_nearest_turn() -> None:
    assert speakers([Word("a", 2.05, 2.15)]) == ["S0"]
    assert speakers([Word("a", 2.35, 2.45)]) == ["S1"]
    assert speakers([Word("a", 4.5, 4.7)]) == ["S1"]
    assert speakers([Word("a", 5.5, 5.7)]) == ["S0"]


def test_before_the_first_and_after_the_last_turn() -> None:
    assert speakers([Word("a", 9.0, 9.2), Word("b", 8.5, 8.6)]) == ["S0", "S0"]
    turns = (SpeakerTurn(1.0, 2.0, "S1"),)
    assert assign_speakers([Word("a", 0.0, 0.2)], turns)[0].speaker == "S1"


def test_zero_length_word() -> None:
    assert speakers([Word("a", 3.0, 3.0), Word("b", 5.0, 5.0)]) == ["S1", "S1"]


def test_other_fields_are_kept_and_input_untouched() -> None:
    word = Word("hello", 0.5, 0.9, probability=0.8, channel=1)
    (out,) = assign_speakers([word], TURNS)
    assert out == Word("hello", 0.5, 0.9, probability=0.8, channel=1, speaker="S0")
    assert word.speaker is None


def test_no_turns_leaves_words_as_they_are() -> None:
    words = [Word("a", 0.0, 1.0, speaker="X")]
    assert assign_speakers(words, []) == words


def test_unsorted_turns() -> None:
    assert [w.speaker for w in assign_speakers([Word("a", 6.5, 6.8)], list(reversed(TURNS)))] == ["S0"]


def test_many_words_scale() -> None:
    turns = [SpeakerTurn(i * 1.0, i * 1.0 + 0.9, f"S{i % 3}") for i in range(5000)]
    words = [Word("w", i * 0.25, i * 0.25 + 0.2) for i in range(20000)]
    out = assign_speakers(words, turns)
    assert out[0].speaker == "S0" and out[4].speaker == "S1" and out[-1].speaker == "S1"
