"""Words -> sentences: punctuation, speaker and channel changes, pauses, long runs, joining, offsets."""

from __future__ import annotations

from convoscope.pipeline.segment import SegmentationOptions, join_words, segment_words, shift_sentences
from convoscope.pipeline.types import Word


def words(text: str, start: float = 0.0, step: float = 0.3, **kw: object) -> list[Word]:
    """Whisper-style words (leading spaces), one every `step` seconds."""
    return [
        Word(text=f" {t}", start=start + i * step, end=start + i * step + step * 0.8, **kw)  # type: ignore[arg-type]
        for i, t in enumerate(text.split())
    ]


def test_splits_on_sentence_final_punctuation() -> None:
    sentences = segment_words(words("Hello there. How are you? Fine! Thanks…"))
    assert [s.text for s in sentences] == ["Hello there.", "How are you?", "Fine!", "Thanks…"]
    assert (
        sentences[1].start == sentences[1].words[0].start and sentences[1].end == sentences[1].words[-1].end
    )


def test_punctuation_inside_quotes_still_ends_a_sentence() -> None:
    sentences = segment_words(words('He said "stop." Then left.'))
    assert [s.text for s in sentences] == ['He said "stop."', "Then left."]


def test_abbreviation_like_tokens_without_final_mark_do_not_split() -> None:
    assert len(segment_words(words("version 1.5 is out"))) == 1


def test_splits_on_speaker_change() -> None:
    ws = words("so we agree", speaker="A") + words("yes we do", start=1.0, speaker="B")
    sentences = segment_words(ws)
    assert [(s.speaker, s.text) for s in sentences] == [("A", "so we agree"), ("B", "yes we do")]


def test_splits_on_long_pause() -> None:
    ws = words("first part", start=0.0) + words("second part", start=5.0)
    assert [s.text for s in segment_words(ws)] == ["first part", "second part"]
    assert len(segment_words(ws, SegmentationOptions(max_pause=10.0))) == 1


def test_long_sentences_are_cut_after_a_comma_when_possible() -> None:
    text = " ".join(f"w{i}," if i == 7 else f"w{i}" for i in range(12))
    sentences = segment_words(words(text), SegmentationOptions(max_words=10))
    assert [len(s.words) for s in sentences] == [8, 4]
    assert sentences[0].text.endswith("w7,")
    no_commas = segment_words(words(" ".join(f"w{i}" for i in range(25))), SegmentationOptions(max_words=10))
    assert [len(s.words) for s in no_commas] == [10, 10, 5]
    by_time = segment_words(
        words(" ".join(f"w{i}" for i in range(20)), step=1.0), SegmentationOptions(max_duration=5)
    )
    assert all(s.end - s.start <= 5.0 for s in by_time)


def test_channels_are_segmented_apart_and_interleaved_by_time() -> None:
    left = words("I think we should start now. Agreed then.", start=0.0, channel=0)
    right = words("Yes please.", start=0.5, channel=1)
    sentences = segment_words(left + right)
    assert [(s.channel, s.text) for s in sentences] == [
        (0, "I think we should start now."),
        (1, "Yes please."),
        (0, "Agreed then."),
    ]


def test_join_words() -> None:
    assert join_words(words("a  b")) == "a b"
    assert join_words([Word("hello", 0, 1), Word("world.", 1, 2)]) == "hello world."
    assert join_words([Word("你好", 0, 1), Word("世界", 1, 2)]) == "你好世界"
    assert join_words([Word(" It", 0, 1), Word("'s", 1, 2), Word(" fine", 2, 3)]) == "It's fine"


def test_shift_sentences_moves_words_too() -> None:
    shifted = shift_sentences(segment_words(words("one two.")), 60.0)
    assert shifted[0].start == 60.0 and shifted[0].words[0].start == 60.0
    assert shifted[0].words[-1].end == shifted[0].end


def test_no_words_no_sentences() -> None:
    assert segment_words([]) == []
