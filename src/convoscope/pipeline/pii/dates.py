"""Dates ("October 3, 1982", "the third of October", "10/03/1982", "Christmas", "next Monday"),
told apart as a date of birth ("born on ...") or a card's expiry ("expires April 2027"), and ages
("42 years old", "aged forty two").

Spoken numbers are matched once written in digits (`numbers.spoken_as_digits`): "nineteen eighty
two" is 1982. Values are ISO dates where the text names a whole day, else the text.
"""

from __future__ import annotations

import re
from datetime import date

from convoscope.pipeline.pii.cues import Cue, nearest_cue
from convoscope.pipeline.pii.kinds import PiiKind, PiiSpan
from convoscope.pipeline.pii.numbers import DigitView

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4, "may": 5,
    "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sep": 9, "sept": 9,
    "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip
ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14,
    "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19,
    "twentieth": 20, "thirtieth": 30,
}  # fmt: skip
_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|" \
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"  # fmt: skip
_ORDINAL_WORD = r"(?i:(?:(?:twenty|thirty)[- ])?(?:" + "|".join(ORDINALS) + "))"
# "twenty eighth" reaches the patterns as "20 eighth" (the tens are read as a number).
_DAY = rf"(?:[23]0[- ]{_ORDINAL_WORD}|[0-3]?\d(?:st|nd|rd|th)?|{_ORDINAL_WORD})"
_YEAR = r"(?:1[89]\d\d|20\d\d)"
HOLIDAYS = (
    r"Christmas(?: Day| Eve)?|New Year'?s(?: Day| Eve)?|Thanksgiving(?: Day)?|Easter(?: Sunday)?|Halloween|"
    r"Independence Day|Fourth of July|Labor Day|Memorial Day|Valentine'?s Day|Hanukkah|Diwali|Ramadan|"
    r"Eid(?: al-Fitr| al-Adha)?|Mother'?s Day|Father'?s Day|Martin Luther King(?: Jr\.?)? Day|"
    r"Presidents'? Day|Veterans Day|Boxing Day|Good Friday|Lunar New Year|Chinese New Year"
)
WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
DATE_PATTERNS = [
    re.compile(rf"\b(?:{WEEKDAY},?\s+)?{_MONTH}\s+(?:the\s+)?{_DAY}\b(?:,?\s+{_YEAR}\b)?"),
    re.compile(rf"\b(?:{WEEKDAY},?\s+)?(?:the\s+)?{_DAY}\s+(?:of\s+)?{_MONTH}(?:,?\s+{_YEAR}\b)?"),
    re.compile(rf"\b{_MONTH}\s+(?:of\s+)?{_YEAR}\b"),
    re.compile(r"\b(?:[01]?\d[/.-][0-3]?\d[/.-](?:\d{4}|\d{2})|\d{4}-[01]\d-[0-3]\d)\b"),
    re.compile(rf"\b(?:{HOLIDAYS})\b"),
    re.compile(rf"\b(?:(?:on|next|last|this|coming)\s+)?{WEEKDAY}\b"),
]
BORN_IN_YEAR = re.compile(rf"\bborn\s+in\s+({_YEAR})\b", re.IGNORECASE)
EXPIRY_NUMERIC = re.compile(r"\b(0?[1-9]|1[0-2])\s?/\s?(\d{2}|20\d{2})\b")
AGES = [
    re.compile(r"\b(\d{1,3})(?:\s+|-)(?:years?|yrs?)(?:\s+|-)old\b", re.I),
    re.compile(r"\b(\d{1,3})\s+years\s+of\s+age\b", re.I),
    re.compile(r"\b(?:age|aged)(?:\s+is)?(?:\s+of)?\s+(\d{1,3})\b", re.I),
    # "I'm 42.", "my daughter is 63, she...": a person, then a bare number ending the clause.
    re.compile(
        r"\b(?:I'm|I\s+am|(?:he|she|they)(?:'s|'re|\s+is|\s+are)|(?:daughter|son|wife|husband|mother|father|"
        r"mom|dad|child|kid|patient|baby|grandmother|grandfather|brother|sister)(?:\s+[A-Z][a-z]+)?\s+is)"
        r"\s+(\d{1,3})(?=\s*(?:[.,;!?]|$|and\b|but\b|so\b|now\b|this\b|next\b))",
        re.I,
    ),
]


def dates(view: DigitView) -> list[PiiSpan]:
    """Dates, dates of birth and expiry dates in a text whose spoken numbers are digits."""
    found = []
    for pattern in DATE_PATTERNS:
        for match in pattern.finditer(view.text):
            start, end = view.original(match.start(), match.end())
            kind = _kind(view.text, match)
            value = _month_year(match.group()) if kind == PiiKind.CARD_EXPIRY else _iso(match.group())
            found.append(PiiSpan(kind, start, end, value or match.group()))
    for match in BORN_IN_YEAR.finditer(view.text):
        start, end = view.original(match.start(1), match.end(1))
        found.append(PiiSpan(PiiKind.DATE_OF_BIRTH, start, end, match.group(1)))
    for match in EXPIRY_NUMERIC.finditer(view.text):
        if nearest_cue(view.text, match.start(), match.end()) == Cue.EXPIRY:
            start, end = view.original(match.start(), match.end())
            value = f"{int(match.group(1)):02d}/{match.group(2)[-2:]}"
            found.append(PiiSpan(PiiKind.CARD_EXPIRY, start, end, value))
    return found


def ages(view: DigitView) -> list[PiiSpan]:
    found = []
    for pattern in AGES:
        for match in pattern.finditer(view.text):
            if 0 < int(match.group(1)) < 130:
                start, end = view.original(match.start(1), match.end(1))
                found.append(PiiSpan(PiiKind.AGE, start, end, str(int(match.group(1)))))
    return found


def _kind(text: str, match: re.Match[str]) -> PiiKind:
    cue = nearest_cue(text, match.start(), match.end(), frozenset({Cue.BIRTH, Cue.EXPIRY}))
    if cue == Cue.BIRTH:
        return PiiKind.DATE_OF_BIRTH
    if (
        cue == Cue.EXPIRY
        and re.search(_YEAR, match.group())
        and not re.search(r"\d\s*(?:st|nd|rd|th)?\s+of", match.group())
    ):
        return PiiKind.CARD_EXPIRY
    return PiiKind.DATE


def _month_year(text: str) -> str | None:
    """A card's expiry as MM/YY ("April 2027" is 04/27)."""
    lowered = text.lower()
    year = re.search(r"\b(?:19|20)(\d\d)\b", lowered)
    month = next((MONTHS[w] for w in re.findall(r"[a-z]+", lowered) if w in MONTHS), None)
    return f"{month:02d}/{year.group(1)}" if year and month else None


def _iso(text: str) -> str | None:
    """The ISO date a text names when it has a day, a month and a year."""
    lowered = text.lower().replace(",", " ").replace(".", " ")
    year = re.search(r"\b(1[89]\d\d|20\d\d)\b", lowered)
    month = next((MONTHS[w] for w in re.findall(r"[a-z]+", lowered) if w in MONTHS), None)
    numeric = re.fullmatch(r"\s*([01]?\d)[/-]([0-3]?\d)[/-](\d{4})\s*", text)
    if numeric:
        return _safe_iso(int(numeric.group(3)), int(numeric.group(1)), int(numeric.group(2)))
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text.strip()):
        return text.strip()
    if not (year and month):
        return None
    day = _day_of(lowered.replace(year.group(1), " "))
    return _safe_iso(int(year.group(1)), month, day) if day else None


def _day_of(text: str) -> int | None:
    words = [ORDINALS[w] for w in re.findall(r"[a-z]+", text) if w in ORDINALS]
    tens = re.search(r"\b([23]0)\b|\b(twenty|thirty)\b", text)
    tens_value = (
        (int(tens.group(1)) if tens.group(1) else 20 if tens.group(2) == "twenty" else 30) if tens else 0
    )
    if words:
        return tens_value + words[-1]
    number = re.search(r"\b([0-3]?\d)(?:st|nd|rd|th)?\b", text)
    return int(number.group(1)) if number else None


def _safe_iso(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None
