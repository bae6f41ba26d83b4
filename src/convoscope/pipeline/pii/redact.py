"""Masking what was found: in a text, and in the timed words the text was made of."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from convoscope.pipeline.pii.kinds import PiiSpan


def mask(text: str, spans: Sequence[PiiSpan], replacement: str) -> tuple[str, tuple[PiiSpan, ...]]:
    """`text` with each span replaced by `replacement`, and the spans where the replacements now are
    (their values replaced too: nothing of what was masked is kept)."""
    pieces: list[str] = []
    moved: list[PiiSpan] = []
    cursor = 0
    for span in sorted(spans, key=lambda s: s.start):
        if span.start < cursor:
            continue  # overlapping: already masked
        pieces.append(text[cursor : span.start])
        start = sum(len(piece) for piece in pieces)
        pieces.append(replacement)
        moved.append(PiiSpan(span.kind, start, start + len(replacement), replacement))
        cursor = span.end
    pieces.append(text[cursor:])
    return "".join(pieces), tuple(moved)


@dataclass(frozen=True)
class WordEdit:
    """Words `first` to `last` (inclusive) of a message become one word reading `text`: what of them
    lies outside the masked span, around the replacement ("4111," -> "****,")."""

    first: int
    last: int
    text: str


def word_spans(text: str, words: Sequence[str]) -> list[tuple[int, int] | None]:
    """Where each word is in `text` (the message made of them), found in order; None when a word
    cannot be found where it should be."""
    spans: list[tuple[int, int] | None] = []
    cursor = 0
    for word in words:
        stripped = word.strip()
        at = text.find(stripped, cursor) if stripped else -1
        if at < 0 or (stripped and text[cursor:at].strip()):
            spans.append(None)
            continue
        spans.append((at, at + len(stripped)))
        cursor = at + len(stripped)
    return spans


def word_edits(text: str, words: Sequence[str], spans: Sequence[PiiSpan], replacement: str) -> list[WordEdit]:
    """How to mask `spans` of `text` in the words it was made of: every word a span touches is
    masked, the words of one span become one."""
    places = word_spans(text, words)
    edits = []
    for span in sorted(spans, key=lambda s: s.start):
        touched = [
            i
            for i, place in enumerate(places)
            if place is not None and place[0] < span.end and place[1] > span.start
        ]
        if not touched:
            continue
        first, last = touched[0], touched[-1]
        head = places[first]
        tail = places[last]
        assert head is not None and tail is not None
        before = text[head[0] : max(head[0], span.start)]
        after = text[min(tail[1], span.end) : tail[1]]
        edits.append(WordEdit(first, last, f"{before}{replacement}{after}"))
    merged: list[WordEdit] = []
    for edit in edits:  # two spans in one word: one edit
        if merged and edit.first <= merged[-1].last:
            merged[-1] = WordEdit(merged[-1].first, max(edit.last, merged[-1].last), replacement)
        else:
            merged.append(edit)
    return merged
