"""Passport and driver's license numbers: letters and digits said after the document's name
("passport number C03005988", "my license is D as in David one two three...")."""

from __future__ import annotations

import re

from convoscope.pipeline.pii.cues import CUES, Cue
from convoscope.pipeline.pii.kinds import PiiKind, PiiSpan
from convoscope.pipeline.pii.numbers import NumberRun

KINDS = {Cue.PASSPORT: PiiKind.PASSPORT_NUMBER, Cue.LICENSE: PiiKind.DRIVERS_LICENSE}
REACH = 40  # characters after the cue in which the number starts
_FILLER = re.compile(r"^(?:\s|[:,#-]|number\b|no\.?|is\b|it's\b|it\s+is\b|was\b|reads\b|my\b|the\b)*", re.I)
_CODE = re.compile(r"(?=[A-Z0-9-]*\d)[A-Z0-9](?:[A-Z0-9-]{3,18})[A-Z0-9]\b")
_LETTERS = re.compile(r"((?:[A-Z](?:\s+as\s+in\s+[A-Z][a-z]+)?[\s-]+){1,3})")


def document_numbers(text: str, runs: list[NumberRun]) -> list[PiiSpan]:
    found = []
    for cue, kind in KINDS.items():
        for match in CUES[cue].finditer(text):
            start = match.end() + _FILLER.match(text[match.end() : match.end() + REACH]).end()  # type: ignore[union-attr]
            span = _code_at(text, start, runs)
            if span is not None:
                found.append(PiiSpan(kind, span[0], span[1], span[2]))
    return found


def _code_at(text: str, start: int, runs: list[NumberRun]) -> tuple[int, int, str] | None:
    """A document number starting at `start`: a written code, or spelled letters then digits."""
    code = _CODE.match(text, start)
    if code is not None:
        return code.start(), code.end(), code.group().replace("-", "")
    letters = _LETTERS.match(text, start)
    digits_from = letters.end() if letters else start
    run = next((r for r in runs if r.start == digits_from), None)
    if run is None or len(run.digits) < 4:
        return None
    prefix = "".join(re.findall(r"\b[A-Z]\b", letters.group())) if letters else ""
    return start, run.end, prefix + run.digits
