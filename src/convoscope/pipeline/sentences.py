"""Split text into sentences without a model: one stored message is one sentence.

A rule-based splitter is enough for typed or punctuated text and costs microseconds; it keeps
abbreviations ("Mr.", "e.g."), decimals ("$69.99"), initials and ellipses inside a sentence.
"""

from __future__ import annotations

import re

_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "vs", "etc", "inc", "ltd", "co", "corp",
    "e.g", "i.e", "approx", "dept", "est", "no", "jan", "feb", "mar", "apr", "jun", "jul", "aug",
    "sep", "sept", "oct", "nov", "dec", "mon", "tue", "wed", "thu", "fri", "sat", "sun", "u.s", "a.m", "p.m",
}  # fmt: skip

# A candidate boundary: terminal punctuation (with closing quotes/brackets), whitespace, then a
# character that can start a sentence.
_BOUNDARY = re.compile(r"([.!?…]+[\"'”’)\]]*)\s+(?=[\"'“‘(\[]?[A-Z0-9¿¡])")
_NEWLINES = re.compile(r"\s*\n\s*\n\s*|\s*\n(?=\s*[-*•]\s)")


def split_sentences(text: str) -> list[str]:
    """Sentences of `text`, stripped, in order; an input with no boundary is one sentence."""
    sentences: list[str] = []
    for block in _NEWLINES.split(text):
        sentences.extend(_split_block(" ".join(block.split())))
    return [s for s in sentences if s]


def _split_block(block: str) -> list[str]:
    pieces: list[str] = []
    start = 0
    for match in _BOUNDARY.finditer(block):
        end = match.end(1)
        if _is_abbreviation(block[start:end]):
            continue
        pieces.append(block[start:end].strip())
        start = match.end()
    pieces.append(block[start:].strip())
    return pieces


def _is_abbreviation(sentence: str) -> bool:
    if not sentence.endswith("."):
        return False
    last_word = sentence.rstrip(".").rsplit(None, 1)[-1].lower() if sentence.strip(". ") else ""
    # A single capital letter is an initial ("J. Smith"), not the end of a sentence.
    return last_word in _ABBREVIATIONS or (len(last_word) == 1 and last_word.isalpha())
