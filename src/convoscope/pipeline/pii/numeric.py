"""Numbers that are personal or payment data, told apart by length, grouping, check digits and the
words around them.

The words decide first, when the length fits what they name: "security code" before three digits is
a CVV, "routing number" before nine a routing number. Without such words the number's own shape
decides: 13 to 19 digits passing the Luhn check are a card number, nine digits grouped 3-2-4 an SSN,
ten digits grouped 3-3-4 (or with a valid North American area code, or after a "+") a phone number.
A 13- to 19-digit number said to be a card number, or grouped as cards are printed (4-4-4-4, 4-6-5), is
one even when a misheard digit breaks its check.
"""

from __future__ import annotations

from convoscope.pipeline.pii import checks
from convoscope.pipeline.pii.cues import Cue, nearest_cue
from convoscope.pipeline.pii.kinds import PiiKind, PiiSpan
from convoscope.pipeline.pii.numbers import NumberRun

# What a cue names, and how many digits that has.
_BY_CUE: dict[Cue, tuple[PiiKind, int, int]] = {
    Cue.CVV: (PiiKind.CARD_CVV, 3, 4),
    Cue.PIN: (PiiKind.CARD_PIN, 4, 8),
    Cue.ROUTING: (PiiKind.ROUTING_NUMBER, 8, 10),  # nine digits, one misheard or missed
    Cue.ACCOUNT: (PiiKind.ACCOUNT_NUMBER, 4, 17),
    Cue.PASSPORT: (PiiKind.PASSPORT_NUMBER, 6, 9),
    Cue.LICENSE: (PiiKind.DRIVERS_LICENSE, 5, 15),
    Cue.SSN: (PiiKind.SSN, 9, 9),
    Cue.PHONE: (PiiKind.PHONE_NUMBER, 7, 13),
}


def numeric_pii(text: str, runs: list[NumberRun]) -> list[PiiSpan]:
    spans = []
    for run in runs:
        found = classify(text, run)
        if found is not None:
            kind, value = found
            spans.append(PiiSpan(kind, run.start, run.end, value))
    return spans


def classify(text: str, run: NumberRun) -> tuple[PiiKind, str] | None:
    """The kind of personal data `run` is (with its value), or None."""
    digits, n = run.digits, len(run.digits)
    if n < 3:
        return None
    cue = nearest_cue(text, run.start, run.end)
    if cue == Cue.EXPIRY:
        expiry = _expiry(digits)
        if expiry:
            return PiiKind.CARD_EXPIRY, expiry
    if cue == Cue.SSN and n == 4:  # "the last four of my social"
        return PiiKind.SSN, digits
    if cue in _BY_CUE:
        kind, shortest, longest = _BY_CUE[cue]
        if shortest <= n <= longest:
            return kind, _value(kind, digits, run)
    card_grouped = run.shape in ((4, 4, 4, 4), (4, 6, 5))  # how cards are printed, and read out
    if 13 <= n <= 19 and (checks.luhn(digits) or cue == Cue.CARD or card_grouped):
        return PiiKind.CARD_NUMBER, digits
    if n == 9 and run.shape == (3, 2, 4) and checks.ssn(digits):
        return PiiKind.SSN, _value(PiiKind.SSN, digits, run)
    if _phone_shaped(run):
        return PiiKind.PHONE_NUMBER, _value(PiiKind.PHONE_NUMBER, digits, run)
    return None


def _phone_shaped(run: NumberRun) -> bool:
    n = len(run.digits)
    if run.plus:
        return 8 <= n <= 15
    if run.shape in ((3, 3, 4), (1, 3, 3, 4), (3, 7)):
        return True
    # A year said in words ("nineteen eighty two") is never ten digits; ten plain digits with a
    # valid area code and exchange are a phone number.
    return n in (10, 11) and checks.nanp_phone(run.digits)


def _value(kind: PiiKind, digits: str, run: NumberRun) -> str:
    if kind == PiiKind.SSN and len(digits) == 9:
        return f"{digits[:3]}-{digits[3:5]}-{digits[5:]}"
    if kind == PiiKind.PHONE_NUMBER and run.plus:
        return f"+{digits}"
    return digits


def _expiry(digits: str) -> str | None:
    """A card's expiry as MM/YY from 427, 0427 or 042027."""
    if len(digits) == 3:
        digits = "0" + digits
    if len(digits) not in (4, 6) or not 1 <= int(digits[:2]) <= 12:
        return None
    year = digits[2:]
    return f"{digits[:2]}/{year[-2:]}" if len(year) == 2 or year.startswith("20") else None
