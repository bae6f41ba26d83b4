"""Numbers as transcripts write them: digits ("4111 1111", "222-44-5555", "(555) 123-4567"), spoken
digits ("four one one one", "two two two, four four", "oh four", "double five"), spoken groups
("forty one eleven" is 4111, "nineteen eighty two" is 1982, "one twenty three" is 123, "eight
hundred" is 800) and any mix of them.

`number_runs` finds each run of number groups joined by spaces, commas, dashes or dots, with its
digits and its groups (their lengths tell `222-44-5555` from `222-444-5555`). `spoken_as_digits`
gives the text with each spoken run written in digits, and a map back, so that patterns written
for digits ("123 Main Street", "42 years old") also find the spoken forms.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

UNITS = {
    "zero": 0, "oh": 0, "o": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9,
}  # fmt: skip
TEENS = {
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}  # fmt: skip
REPEATS = {"double": 2, "triple": 3}
# Words a recogniser writes for a digit said inside a run of digits ("is to one nine zero..."): read
# as the digit only before two spoken digits, and after another digit or a word that announces the
# number ("my number is to one nine..."): "from nine to five" and "charge it to five five..." keep theirs.
HOMOPHONES = {"to": "two", "too": "two", "for": "four"}
ANNOUNCERS = {"is", "was", "number", "be", "are", "it's", ":"}
# Between two groups of one run: these, or plain spaces. A dot only when no space follows it
# ("555.123.4567"): "born in 1982. 2 years later" is two numbers.
JOINERS = {",", "-", "–", ")", "\n", "dash", "hyphen", "slash"}

_TOKEN = re.compile(r"[A-Za-z]+|\d+|\S")


@dataclass(frozen=True)
class Token:
    text: str
    start: int
    end: int

    @property
    def word(self) -> str:
        return self.text.lower()


@dataclass(frozen=True)
class NumberRun:
    """Number groups read as one number: `text[start:end]` means `digits`."""

    start: int
    end: int
    digits: str
    groups: tuple[str, ...]  # the digits of each group as written or said
    spoken: bool  # any group was said in words
    plus: bool = False  # written with a leading "+" (an international phone number)
    # Digits per section, sections being parted by commas, dashes, dots or (between written digits)
    # spaces: (3, 2, 4) for "222-44-5555" and for "two two two, four four, five five five five".
    shape: tuple[int, ...] = ()


def tokens(text: str) -> list[Token]:
    return [Token(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]


def _spoken_digit(items: list[Token], i: int) -> bool:
    return 0 <= i < len(items) and items[i].word in UNITS and items[i].word not in ("o", "oh")


def _homophones_read(items: list[Token]) -> list[Token]:
    """`items` with each digit homophone that sits among spoken digits written as that digit."""
    read = list(items)
    for i, token in enumerate(items):
        digit = HOMOPHONES.get(token.word)
        announced = i > 0 and (items[i - 1].word in ANNOUNCERS or _spoken_digit(items, i - 1))
        if digit and announced and _spoken_digit(items, i + 1) and _spoken_digit(items, i + 2):
            read[i] = Token(digit, token.start, token.end)
    return read


def _is_number(token: Token, following: Token | None) -> bool:
    word = token.word
    if token.text.isdigit():
        return True
    if word in ("o", "oh"):  # "oh" is a zero only where a number goes on
        return following is not None and _is_number(following, None) and following.word not in ("o", "oh")
    if word in REPEATS:
        return following is not None and following.word in UNITS
    return word in UNITS or word in TEENS or word in TENS


def _group(items: list[Token], i: int) -> tuple[str, int]:
    """The digits of the group starting at `items[i]` and the index after it."""
    word = items[i].word
    nxt = items[i + 1].word if i + 1 < len(items) else ""
    if items[i].text.isdigit():
        return items[i].text, i + 1
    if word in REPEATS:
        return str(UNITS[nxt]) * REPEATS[word], i + 2
    if word in TEENS:
        return str(TEENS[word]), i + 1
    if word in TENS:
        if nxt in UNITS and nxt not in ("zero", "oh", "o"):
            return str(TENS[word] + UNITS[nxt]), i + 2
        return str(TENS[word]), i + 1
    digit = UNITS[word]
    if nxt == "hundred":
        rest, j = _below_hundred(items, i + 2)
        return f"{digit}{rest or '00'}", j
    if nxt == "thousand":
        j = i + 2
        hundreds = "0"
        if j + 1 < len(items) and items[j].word in UNITS and items[j + 1].word == "hundred":
            hundreds, j = str(UNITS[items[j].word]), j + 2
        rest, j = _below_hundred(items, j)
        return f"{digit}{hundreds}{rest or '00'}", j
    return str(digit), i + 1


def _below_hundred(items: list[Token], j: int) -> tuple[str, int]:
    """Two digits said after "hundred" or "thousand" ("twenty seven", "five", "and five"), or ''."""
    if j < len(items) and items[j].word == "and" and j + 1 < len(items):
        j += 1
    if j >= len(items):
        return "", j
    word = items[j].word
    if word in TEENS:
        return str(TEENS[word]), j + 1
    if word in TENS:
        nxt = items[j + 1].word if j + 1 < len(items) else ""
        if nxt in UNITS and nxt not in ("zero", "oh", "o"):
            return str(TENS[word] + UNITS[nxt]), j + 2
        return str(TENS[word]), j + 1
    if word in UNITS and word not in ("o", "oh"):
        # "one hundred five" is 105, but in "eight hundred five five five" the digits go on one by one.
        if j + 1 < len(items) and items[j + 1].word in UNITS:
            return "", j
        return f"0{UNITS[word]}", j + 1
    return "", j


def _joined(items: list[Token], i: int, text: str) -> int | None:
    """Index of the next number token when `items[i:]` starts with a joiner then a number."""
    j = i
    while j < len(items) and (items[j].word in JOINERS or _dot_joiner(items[j], text)):
        j += 1
        if j - i > 2:
            return None
    if j < len(items) and j > i and _is_number(items[j], items[j + 1] if j + 1 < len(items) else None):
        return j
    return None


def _dot_joiner(token: Token, text: str) -> bool:
    return token.text == "." and token.end < len(text) and text[token.end].isdigit()


def number_runs(text: str) -> list[NumberRun]:
    """Every run of numbers in `text`, written or spoken, in order."""
    items = _homophones_read(tokens(text))
    runs: list[NumberRun] = []
    i = 0
    while i < len(items):
        following = items[i + 1] if i + 1 < len(items) else None
        if not _is_number(items[i], following):
            i += 1
            continue
        first = i
        groups: list[str] = []
        sections = [0]
        spoken = False
        while True:
            written = items[i].text.isdigit()
            spoken = spoken or not written
            digits, i = _group(items, i)
            groups.append(digits)
            sections[-1] += len(digits)
            if i < len(items) and _is_number(items[i], items[i + 1] if i + 1 < len(items) else None):
                if written and items[i].text.isdigit():
                    sections.append(0)
                continue
            nxt = _joined(items, i, text)
            if nxt is None:
                break
            sections.append(0)
            i = nxt
        start, end = items[first].start, items[i - 1].end
        if start > 0 and text[start - 1] == "(":
            start -= 1
        plus = start > 0 and text[start - 1] == "+"
        start -= 1 if plus else 0
        runs.append(NumberRun(start, end, "".join(groups), tuple(groups), spoken, plus, tuple(sections)))
    return runs


@dataclass(frozen=True)
class DigitView:
    """A text with its spoken numbers written in digits, and where each character came from."""

    text: str
    starts: tuple[int, ...]  # per character: its start in the original text
    ends: tuple[int, ...]  # per character: its end in the original text

    def original(self, start: int, end: int) -> tuple[int, int]:
        """The span of the original text that `view.text[start:end]` comes from."""
        return self.starts[start], self.ends[end - 1]


def spoken_as_digits(text: str, runs: list[NumberRun] | None = None) -> DigitView:
    """`text` with each spoken number run replaced by its digits ("one twenty three Main Street" is
    "123 Main Street"); written runs stay as they are."""
    pieces: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    cursor = 0
    for run in runs if runs is not None else number_runs(text):
        if not run.spoken:
            continue
        pieces.append(text[cursor : run.start])
        starts.extend(range(cursor, run.start))
        ends.extend(range(cursor + 1, run.start + 1))
        pieces.append(run.digits)
        starts.extend([run.start] * len(run.digits))
        ends.extend([run.end] * len(run.digits))
        cursor = run.end
    pieces.append(text[cursor:])
    starts.extend(range(cursor, len(text)))
    ends.extend(range(cursor + 1, len(text) + 1))
    return DigitView("".join(pieces), tuple(starts), tuple(ends))
