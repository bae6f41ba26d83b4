"""`smooth_fragments`: a word or two of a spurious speaker change inside a sentence, not real replies."""

from __future__ import annotations

from convoscope.pipeline.diarize import SpeakerTurn, assign_speakers
from convoscope.pipeline.diarize.fragments import smooth_fragments
from convoscope.pipeline.segment import segment_words
from convoscope.pipeline.types import Word


def words(*spec: tuple[str, float, float, str]) -> list[Word]:
    return [Word(text, start, end, speaker=speaker) for text, start, end, speaker in spec]


def test_a_sentence_cut_by_a_brief_change_stays_whole() -> None:
    # Seen in real output: "I'm" | "really got a car." after a spurious change under "I'm".
    spoken = words(
        ("Hello.", 0.0, 0.5, "S0"),
        ("I'm", 1.0, 1.2, "S1"),
        ("really", 1.25, 1.6, "S0"),
        ("got", 1.6, 1.8, "S0"),
        ("a", 1.8, 1.9, "S0"),
        ("car.", 1.9, 2.3, "S0"),
    )
    assert len(segment_words(spoken)) == 3
    smoothed = smooth_fragments(spoken)
    assert [w.speaker for w in smoothed] == ["S0"] * 6
    assert [s.text for s in segment_words(smoothed)] == ["Hello.", "I'm really got a car."]


def test_a_word_inside_one_speakers_sentence_goes_back_to_them() -> None:
    spoken = words(
        ("go", 0.0, 0.2, "S0"), ("ahead", 0.2, 0.5, "S1"), ("and", 0.5, 0.6, "S0"), ("hold.", 0.6, 0.9, "S0")
    )
    assert [w.speaker for w in smooth_fragments(spoken)] == ["S0"] * 4


def test_a_backchannel_that_is_its_own_sentence_keeps_its_speaker() -> None:
    spoken = words(
        ("It", 0.0, 0.2, "S0"),
        ("broke.", 0.2, 0.6, "S0"),
        ("Okay.", 0.65, 0.9, "S1"),
        ("Then", 0.95, 1.1, "S0"),
        ("I", 1.1, 1.2, "S0"),
        ("called.", 1.2, 1.6, "S0"),
    )
    assert smooth_fragments(spoken) == spoken


def test_a_reply_set_off_by_pauses_or_longer_than_two_words_keeps_its_speaker() -> None:
    paused = words(("so", 0.0, 0.2, "S0"), ("yes", 1.0, 1.2, "S1"), ("then", 2.0, 2.2, "S0"))
    assert smooth_fragments(paused) == paused
    long = words(
        ("and", 0.0, 0.2, "S0"),
        ("so", 0.2, 0.4, "S0"),
        ("well", 0.4, 0.45, "S0"),
        ("no", 0.45, 0.6, "S1"),
        ("I", 0.6, 0.7, "S1"),
        ("think", 0.7, 0.9, "S1"),
        ("then", 0.9, 1.1, "S0"),
        ("we", 1.1, 1.3, "S0"),
        ("went", 1.3, 1.5, "S0"),
    )
    assert smooth_fragments(long) == long


def test_channels_are_smoothed_apart() -> None:
    spoken = [
        Word("we", 0.0, 0.2, channel=0, speaker="A"),
        Word("yeah", 0.2, 0.4, channel=1, speaker="B"),
        Word("went", 0.3, 0.5, channel=0, speaker="A"),
    ]
    assert smooth_fragments(spoken) == spoken


def test_assign_speakers_smooths_unless_told_not_to() -> None:
    turns = (SpeakerTurn(0.0, 0.95, "S0"), SpeakerTurn(0.95, 1.25, "S1"), SpeakerTurn(1.25, 3.0, "S0"))
    spoken = [Word("I", 0.5, 0.9), Word("really", 1.0, 1.2), Word("like", 1.3, 1.5), Word("it.", 1.5, 1.8)]
    assert [w.speaker for w in assign_speakers(spoken, turns)] == ["S0"] * 4
    assert [w.speaker for w in assign_speakers(spoken, turns, None)] == ["S0", "S1", "S0", "S0"]
