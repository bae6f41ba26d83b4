"""People's names: spaCy's named entities, what introduces a name ("my name is ...", "this is ...",
"Mr. ...", "Hi ..."), proper nouns that are common given names (with the surname after them), and
the conversation's own members named in the talk.

The given names and surnames (`names.txt`) are the US Census Bureau's 1990 lists: spaCy's small
model misses many first names said alone ("please let Rebecca know"), and a proper noun that is a
common given name is one far more often than not.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from convoscope.pipeline.pii.kinds import PiiKind, PiiSpan

if TYPE_CHECKING:
    from convoscope.pipeline.nlp import LanguageModels

_NAME = r"[A-Z][a-z]+(?:[-'][A-Z]?[a-z]+)?"
_NAMES = rf"{_NAME}(?:\s+(?:[A-Z]\.\s+)?{_NAME}){{0,2}}"
INTRODUCED = [
    re.compile(
        rf"\b(?:[Mm]y name is|[Mm]y name's|[Nn]ame is|[Tt]his is|I am|I'm|[Ii]t's|[Cc]all me)\s+({_NAMES})"
    ),
    re.compile(rf"\b(?:Mr|Mrs|Ms|Miss|Dr|Prof|Sir|Madam)\.?\s+({_NAMES})"),
    re.compile(rf"\b(?:Hi|Hello|Hey|Thanks|Thank you|Bye|Goodbye|Dear|Sorry|Okay|OK|Yes|No),?\s+({_NAME})\b"),
    re.compile(rf"(?:^|[.!?]\s+)({_NAMES})\s+(?:here|speaking)\b"),
    re.compile(rf"\b(?:with|to|for|from|ask|tell|thank|and)\s+({_NAME}\s+{_NAME})\b"),
    re.compile(
        r"\b(?:[Aa]ttention|[Aa]ttn|[Cc]alling for|[Oo]n behalf of|[Ss]peaking with|[Ss]poke with)"
        rf"\s+({_NAMES})"
    ),
    re.compile(rf"\b[Ll]et\s+({_NAME})\s+know\b"),
    re.compile(
        rf"\b(?:[Aa]sk|[Tt]ell|[Rr]emind|told|asked|reminded)\s+({_NAME})\s+(?:to|that|about|if|whether)\b"
    ),
    re.compile(
        rf"(?:^|[.!?]\s+)({_NAMES})\s+(?:asked|said|told|called|mentioned|emailed|wrote|wants|wanted|promised|"
        r"agreed|confirmed|approved|suggested|explained|thinks|thought)\b"
    ),
]
# Capitalised words that introductions catch but that are not names.
NOT_NAMES = frozenset(
    """I I'm Im The A An It Its This That These Those There Here We You He She They Me My Our Your His
    Her Their Yes No Yeah Yep Nope OK Okay Sure Fine Great Good Well Hello Hi Hey Thanks Thank Sorry
    Please Just Not Also So And But Or Now Then Today Tomorrow Yesterday Really Actually Right
    Correct Absolutely Perfect Awesome Glad Happy Calling Speaking Going Looking Trying Here Sir
    Madam Mister Customer Agent Support Service Team Everyone Everybody Someone Nobody Anyone All
    Nothing Something One Two Three Monday Tuesday Wednesday Thursday Friday Saturday Sunday January
    February March April May June July August September October November December Street Avenue Road
    Card Visa Mastercard American Express Bank Account Number Security Social Credit Debit Phone
    Email Address Passport License Speaker Channel Unknown God Christmas Easter Thanksgiving
    Halloween Google Microsoft Apple Amazon""".split()  # noqa: SIM905
)
DETERMINERS = frozenset({"the", "a", "an", "our", "your", "their", "this", "that"})
GENERATED = re.compile(r"^(?:Speaker|Channel)\s+\d+$|^Unknown(?: Speaker)?$")
SPACY_PERSON = "PERSON"


def person_names(
    texts: Sequence[str],
    offsets: Sequence[int],
    known: Sequence[str] = (),
    models: LanguageModels | None = None,
) -> list[PiiSpan]:
    """Names in each of `texts`, placed at `offsets` (where each text starts in the whole)."""
    found: list[PiiSpan] = []
    for text, offset in zip(texts, offsets, strict=True):
        found.extend(_shift(_introduced(text) + _known(text, known), offset))
    if models is not None:
        for doc, offset in zip(models.spacy().pipe(texts, batch_size=64), offsets, strict=True):
            spans = [
                _entity_span(ent.text, ent.start_char)
                for ent in doc.ents
                if ent.label_ == SPACY_PERSON
                and not (ent.start > 0 and doc[ent.start - 1].lower_ in DETERMINERS)
            ]
            spans += _given_names(doc)
            found.extend(_shift([span for span in spans if span is not None], offset))
    return found


@cache
def name_lists() -> tuple[frozenset[str], frozenset[str]]:
    """The given names and the surnames of `names.txt`."""
    given: set[str] = set()
    surnames: set[str] = set()
    target = given
    for line in (Path(__file__).with_name("names.txt")).read_text(encoding="utf-8").splitlines():
        if line == "# surnames":
            target = surnames
        elif line and not line.startswith("#"):
            target.add(line)
    return frozenset(given), frozenset(surnames)


def _given_names(doc: Any) -> list[PiiSpan]:
    """Proper nouns that are given names, with a capitalised proper noun after them as the surname."""
    given, _ = name_lists()
    found = []
    tokens = list(doc)
    i = 0
    while i < len(tokens):
        token = tokens[i]
        determined = i > 0 and tokens[i - 1].lower_ in DETERMINERS  # "the Denver office"
        # The small tagger calls some names mid-sentence nouns ("let Rebecca know"); at the start of a
        # sentence a capital says nothing, so a name there must be tagged a proper noun.
        proper = token.pos_ == "PROPN" or (token.pos_ == "NOUN" and not token.is_sent_start)
        if proper and token.text in given and token.text not in NOT_NAMES and not determined:
            end = i + 1
            if end < len(tokens) and tokens[end].pos_ == "PROPN" and tokens[end].text[:1].isupper():
                end += 1
            span = doc[i:end]
            found.append(PiiSpan(PiiKind.PERSON_NAME, span.start_char, span.end_char, span.text))
            i = end
        else:
            i += 1
    return found


def _shift(spans: list[PiiSpan], offset: int) -> list[PiiSpan]:
    return [PiiSpan(s.kind, s.start + offset, s.end + offset, s.value) for s in spans]


def _entity_span(text: str, start: int) -> PiiSpan | None:
    """spaCy's PERSON entity, trimmed of a possessive and of leading words that are not names."""
    words = text.removesuffix("'s").removesuffix("’s").split()
    skipped = 0
    while words and (words[0] in NOT_NAMES or not words[0][:1].isupper()):
        skipped += len(words[0]) + 1
        words = words[1:]
    if not words or any(c.isdigit() for c in "".join(words)) or all(w in NOT_NAMES for w in words):
        return None
    name = " ".join(words)
    begin = start + skipped
    return PiiSpan(PiiKind.PERSON_NAME, begin, begin + len(name), name)


def _introduced(text: str) -> list[PiiSpan]:
    found = []
    for pattern in INTRODUCED:
        for match in pattern.finditer(text):
            words = match.group(1).split()
            while words and words[-1] in NOT_NAMES:
                words.pop()
            if words and words[0] not in NOT_NAMES:
                name = " ".join(words)
                found.append(PiiSpan(PiiKind.PERSON_NAME, match.start(1), match.start(1) + len(name), name))
    return found


def _known(text: str, known: Sequence[str]) -> list[PiiSpan]:
    """The members' names, whole or in parts ("Ann Lee", "Ann", "Lee"), said in the text; not the
    generated ones, nor roles given as names."""
    parts: set[str] = set()
    for name in known:
        words = name.split()
        if not words or GENERATED.match(name.strip()) or "@" in name or all(w in NOT_NAMES for w in words):
            continue  # "Speaker 2", an e-mail, a role ("Agent", "Customer")
        parts.add(" ".join(words))
        parts.update(w for w in words if len(w) > 1 and w not in NOT_NAMES)
    found = []
    for part in sorted(parts, key=len, reverse=True):
        for match in re.finditer(rf"(?<![\w@.]){re.escape(part)}(?![\w@])", text):
            found.append(PiiSpan(PiiKind.PERSON_NAME, match.start(), match.end(), part))
    return found
