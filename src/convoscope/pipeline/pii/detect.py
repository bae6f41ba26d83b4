"""`find_pii`: every kind of personal data in consecutive messages, each character claimed once."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from convoscope.pipeline.pii import addresses, banking, contacts, dates, ids, names, numeric
from convoscope.pipeline.pii.kinds import PiiKind, PiiSpan
from convoscope.pipeline.pii.numbers import number_runs, spoken_as_digits

if TYPE_CHECKING:
    from convoscope.pipeline.nlp import LanguageModels

SEPARATOR = "\n"
# When two finds overlap, the earlier kind here keeps the characters: the more specific find (an
# e-mail over the domain in it, a card number over a date-like piece of it, an address over a name
# in a street's name).
PRECEDENCE = (
    PiiKind.EMAIL,
    PiiKind.IBAN,
    PiiKind.CARD_NUMBER,
    PiiKind.SSN,
    PiiKind.ROUTING_NUMBER,
    PiiKind.ACCOUNT_NUMBER,
    PiiKind.CARD_EXPIRY,
    PiiKind.CARD_CVV,
    PiiKind.CARD_PIN,
    PiiKind.PASSPORT_NUMBER,
    PiiKind.DRIVERS_LICENSE,
    PiiKind.PHONE_NUMBER,
    PiiKind.ADDRESS,
    PiiKind.DATE_OF_BIRTH,
    PiiKind.SWIFT,
    PiiKind.AGE,
    PiiKind.DATE,
    PiiKind.DOMAIN_NAME,
    PiiKind.PERSON_NAME,
)
_RANK = {kind: rank for rank, kind in enumerate(PRECEDENCE)}


def find_pii(
    texts: Sequence[str], *, known_names: Sequence[str] = (), models: LanguageModels | None = None
) -> tuple[tuple[PiiSpan, ...], ...]:
    """The personal data in each of `texts` (consecutive messages), with offsets into that text.

    The messages are read as one text, so what one says gives the context of the next ("What's your
    card number?" - "4111 1111 ...") and a number continued in the next message is one number.
    `known_names` are the conversation's members; `models` adds spaCy's person names (without it
    names are found only by what introduces them and by `known_names`).
    """
    whole = SEPARATOR.join(texts)
    offsets = _offsets(texts)
    runs = number_runs(whole)
    view = spoken_as_digits(whole, runs)
    candidates = [
        *contacts.emails(whole),
        *contacts.domains(whole),
        *banking.ibans(whole),
        *banking.swift_codes(whole),
        *numeric.numeric_pii(whole, runs),
        *ids.document_numbers(whole, runs),
        *addresses.addresses(view),
        *dates.dates(view),
        *dates.ages(view),
        *names.person_names(texts, offsets, known_names, models),
    ]
    return _per_text(_claimed(candidates), texts, offsets)


def _offsets(texts: Sequence[str]) -> list[int]:
    offsets, position = [], 0
    for text in texts:
        offsets.append(position)
        position += len(text) + len(SEPARATOR)
    return offsets


def _claimed(candidates: list[PiiSpan]) -> list[PiiSpan]:
    """The candidates that keep their characters: by precedence, then the longer first."""
    kept: list[PiiSpan] = []
    for span in sorted(candidates, key=lambda s: (_RANK[s.kind], s.start - s.end, s.start)):
        if span.end > span.start and all(span.end <= k.start or span.start >= k.end for k in kept):
            kept.append(span)
    return sorted(kept, key=lambda s: s.start)


def _per_text(
    spans: list[PiiSpan], texts: Sequence[str], offsets: list[int]
) -> tuple[tuple[PiiSpan, ...], ...]:
    """Spans on the joined text cut back into each text's own offsets (a number said across two
    messages is found in both)."""
    result: list[list[PiiSpan]] = [[] for _ in texts]
    for index, (text, offset) in enumerate(zip(texts, offsets, strict=True)):
        for span in spans:
            start, end = max(span.start, offset), min(span.end, offset + len(text))
            if start < end:
                part = texts[index][start - offset : end - offset]
                trimmed = len(part) - len(part.lstrip(" ,.-"))
                end_trim = len(part) - len(part.rstrip(" ,.-"))
                if end - end_trim > start + trimmed:
                    result[index].append(
                        PiiSpan(span.kind, start - offset + trimmed, end - offset - end_trim, span.value)
                    )
    return tuple(tuple(found) for found in result)
