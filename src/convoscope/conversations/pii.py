"""Personal data in stored messages: what a job found, kept with each message (`messages.pii`), and
masking it, in a message's text and in its timed words alike (a job asked to `redactContent` does
it before storing; `GET .../messages?redact=true` does it when showing)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from convoscope.pipeline.pii import PiiSpan, find_pii, mask, word_edits
from convoscope.tables import Message


@dataclass(frozen=True)
class MessagePii:
    """What was found in one message, whether the job was asked to list it (`identifyContent`), and
    whether the stored text is already masked (its spans then hold the redaction string)."""

    spans: tuple[PiiSpan, ...]
    identified: bool = False
    redacted: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "spans": [span.to_json() for span in self.spans],
            "identified": self.identified,
            "redacted": self.redacted,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> MessagePii | None:
        if not data:
            return None
        spans = tuple(PiiSpan.from_json(span) for span in data.get("spans", []))
        return cls(spans, bool(data.get("identified")), bool(data.get("redacted")))


@dataclass(frozen=True)
class Masked:
    text: str
    words: list[dict[str, Any]] | None
    spans: tuple[PiiSpan, ...]  # every span where it now is in `text` (a masked one: its replacement)


def masked(
    text: str,
    words: list[dict[str, Any]] | None,
    spans: Sequence[PiiSpan],
    replacement: str,
    hide: Callable[[PiiSpan], bool] = lambda span: True,
) -> Masked:
    """The message with the spans to `hide` replaced: the words a span touches become one word
    reading the replacement, timed from the first to the last of them. Spans not hidden move with
    the text around them."""
    hidden = [span for span in spans if hide(span)]
    new_text, moved = mask(text, hidden, replacement)
    shown = [
        PiiSpan(
            span.kind,
            span.start + _shift(span, hidden, replacement),
            span.end + _shift(span, hidden, replacement),
            span.value,
        )
        for span in spans
        if not hide(span)
    ]
    return Masked(
        new_text,
        masked_words(text, words, hidden, replacement),
        tuple(sorted([*moved, *shown], key=lambda s: s.start)),
    )


def _shift(span: PiiSpan, hidden: Sequence[PiiSpan], replacement: str) -> int:
    return sum(len(replacement) - (h.end - h.start) for h in hidden if h.end <= span.start)


def message_pii(
    messages: Sequence[Message], known_names: Sequence[str] = (), *, search_missing: bool = True
) -> dict[str, MessagePii]:
    """Each message's personal data as its job stored it; for messages stored before it was looked
    for, found now (over those messages read together) when `search_missing`, else left out."""
    found = {m.id: stored for m in messages if (stored := MessagePii.from_json(m.pii)) is not None}
    missing = [m for m in messages if m.id not in found]
    if missing and search_missing:
        from convoscope.pipeline.nlp import default_models

        spans = find_pii([m.text for m in missing], known_names=known_names, models=default_models())
        found.update({m.id: MessagePii(tuple(s)) for m, s in zip(missing, spans, strict=True)})
    return found


def masked_words(
    text: str, words: list[dict[str, Any]] | None, spans: Sequence[PiiSpan], replacement: str
) -> list[dict[str, Any]] | None:
    if not words or not spans:
        return words
    edits = word_edits(text, [str(word.get("word", "")) for word in words], spans, replacement)
    result: list[dict[str, Any]] = []
    cursor = 0
    for edit in edits:
        result.extend(words[cursor : edit.first])
        first, last = words[edit.first], words[edit.last]
        scores = [w["score"] for w in words[edit.first : edit.last + 1] if w.get("score") is not None]
        result.append(
            {
                **first,
                "word": edit.text,
                "end": last.get("end"),
                "endTime": last.get("endTime"),
                "score": min(scores) if scores else None,
            }
        )
        cursor = edit.last + 1
    result.extend(words[cursor:])
    return result


def spoken_intervals(
    words: list[dict[str, Any]] | None, text: str, spans: Sequence[PiiSpan]
) -> list[tuple[float, float]]:
    """The times (seconds on the conversation's timeline) of the words that say `spans`."""
    if not words or not spans:
        return []
    edits = word_edits(text, [str(word.get("word", "")) for word in words], spans, "")
    intervals = []
    for edit in edits:
        start, end = words[edit.first].get("start"), words[edit.last].get("end")
        if start is not None and end is not None:
            intervals.append((float(start), float(end)))
    return intervals
