"""International bank account numbers (checked with their mod-97 digits) and SWIFT/BIC codes."""

from __future__ import annotations

import re

from convoscope.pipeline.pii import checks
from convoscope.pipeline.pii.cues import Cue, has_cue
from convoscope.pipeline.pii.kinds import PiiKind, PiiSpan

IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\b")
SWIFT = re.compile(r"\b[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}(?:[A-Z0-9]{3})?\b")
# ISO 3166 alpha-2 codes of countries whose banks have SWIFT codes (the common ones; a code
# elsewhere still counts when called a SWIFT or BIC code).
COUNTRIES = frozenset(
    """US GB DE FR IT ES NL BE CH AT SE NO DK FI IE PT PL CZ HU GR RO BG HR SI SK LU LT LV EE CY MT IS
    CA MX BR AR CL CO PE AU NZ JP CN HK SG IN ID MY TH PH VN KR TW AE SA QA KW IL TR EG ZA NG KE RU
    UA""".split()  # noqa: SIM905
)


def ibans(text: str) -> list[PiiSpan]:
    found = []
    for match in IBAN.finditer(text):
        if checks.iban(match.group()):
            value = match.group().replace(" ", "")
            found.append(PiiSpan(PiiKind.IBAN, match.start(), match.end(), value))
    return found


def swift_codes(text: str) -> list[PiiSpan]:
    """An 8- or 11-character bank code with a real country in it, called a SWIFT or BIC code or
    holding a digit (so that capitalised words are not taken for one)."""
    found = []
    for match in SWIFT.finditer(text):
        code = match.group()
        if code[4:6] not in COUNTRIES and not has_cue(text, match.start(), match.end(), Cue.SWIFT):
            continue
        if any(c.isdigit() for c in code) or has_cue(text, match.start(), match.end(), Cue.SWIFT):
            found.append(PiiSpan(PiiKind.SWIFT, match.start(), match.end(), code))
    return found
