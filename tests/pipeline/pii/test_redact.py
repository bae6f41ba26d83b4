"""Masking what was found, in text and in timed words."""

from __future__ import annotations

from convoscope.pipeline.pii import PiiKind, PiiSpan, find_pii, mask, word_edits


def test_mask_replaces_and_says_where_the_replacements_are() -> None:
    text = "SSN 222-44-5555, phone 415-555-2671."
    (spans,) = find_pii([text])
    masked, moved = mask(text, spans, "[X]")
    assert masked == "SSN [X], phone [X]."
    assert [masked[s.start : s.end] for s in moved] == ["[X]", "[X]"]
    assert all(s.value == "[X]" for s in moved)


def test_the_words_of_one_span_become_one_word() -> None:
    text = "It's 4111 1111 1111 1111, thanks."
    words = ["It's", "4111", "1111", "1111", "1111,", "thanks."]
    span = PiiSpan(PiiKind.CARD_NUMBER, 5, 24, "4111111111111111")
    (edit,) = word_edits(text, words, [span], "****")
    assert (edit.first, edit.last, edit.text) == (1, 4, "****,")
