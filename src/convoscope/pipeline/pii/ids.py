"""Passport and driver's license numbers: letters and digits said after the document's name
("passport number C03005988", "my license is D as in David one two three...")."""

from __future__ import annotations

import re

from convoscope.pipeline.pii.cues import CUES, Cue
from convoscope.pipeline.pii.kinds import PiiKind, PiiSpan
from convoscope.pipeline.pii.numbers import NumberRun

KINDS = {Cue.PASSPORT: PiiKind.PASSPORT_NUMBER, Cue.LICENSE: PiiKind.DRIVERS_LICENSE}
REACH = 50  # characters after the cue in which the number starts
_CODE = re.compile(r"\b(?=[A-Z0-9-]*\d)[A-Z0-9](?:[A-Z0-9-]{3,18})[A-Z0-9]\b")
_SPELLED = re.compile(r"(?:\b[A-Z](?:\s+as\s+in\s+[A-Z][a-z]+)?[\s-]+){1,3}$")


def document_numbers(text: str, runs: list[NumberRun]) -> list[PiiSpan]:
    found = []
    for cue, kind in KINDS.items():
        for match in CUES[cue].finditer(text):
            span = _code_after(text, match.end(), runs)
            if span is not None:
                found.append(PiiSpan(kind, span[0], span[1], span[2]))
    return found


def _code_after(text: str, start: int, runs: list[NumberRun]) -> tuple[int, int, str] | None:
    """The first document number soon after `start`: a written code ("C03005988"), or letters
    spelled out before a number said in digits ("C as in Charlie, zero three...")."""
    window_end = start + REACH
    code = _CODE.search(text, start, window_end)
    run = next((r for r in runs if start <= r.start < window_end and len(r.digits) >= 4), None)
    if code is not None and (run is None or code.start() <= run.start):
        return code.start(), code.end(), code.group().replace("-", "")
    if run is None:
        return None
    letters = _SPELLED.search(text, start, run.start)
    begin = letters.start() if letters else run.start
    prefix = "".join(re.findall(r"\b[A-Z]\b", letters.group())) if letters else ""
    return begin, run.end, prefix + run.digits
