"""Subjects put first: the agenda item a sentence opens with ("Spill kits, Veridane is changing the
contents", "Next, parking complaints, we've had six", "Count venue first, Sunil.", "Crash rate next").

A meeting moves through its agenda by naming each item in front of what is said about it, often once.
spaCy's noun chunks leave such a phrase out (the parser reads it as an adverbial, a dependent or a
fragment) and the small tagger often reads its words as verbs ("Count venue", "Docking stations",
"Booking numbers"), so the phrase is found by its place: after the openers of a move ("okay", "next",
"first up"), a few content words ending in a noun, then a comma or "first" / "next" / "quickly".
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from convoscope.pipeline.insights.phrase_words import CONTENT_STOP_WORDS, hyphenated

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

# The words a speaker opens a move with (group 1), before the item itself.
OPENERS = re.compile(
    r"^((?:(?:okay|ok|so|and|now|then|first(?: up)?|next(?: up)?|also|right|alright|lastly|finally|um|uh|"
    r"oh|last thing|one more thing|moving on|before i forget)[,.]?\s+)*)"
    r"(?:(?:the|our|your|their|this|that)\s+)?",
    re.IGNORECASE,
)
# Its place in the agenda, said after the item: "Crash rate next", "Booking numbers first, Daniel."
AGENDA_WORDS = frozenset({"first", "next", "quickly", "now", "then"})
MAX_TOKENS = 6  # "Christmas film schedule", "queue line fencing"; hyphens count
CONTENT_TAGS = frozenset({"NN", "NNS", "NNP", "NNPS", "JJ", "VBG", "VBN", "VB", "HYPH"})
# "Count venue first", "Microchipping next.", "Fire drills first": nouns the tagger read as verbs.
NOUN_END_TAGS = frozenset({"NN", "NNS", "NNP", "NNPS", "VBG", "VB", "VBZ"})


def fronted_subject(sentence: Span) -> list[Token] | None:
    """The words of the item the sentence opens with, or None."""
    opened = OPENERS.match(sentence.text)
    start = sentence.start_char + (opened.end() if opened else 0)
    stretch: list[Token] = []
    for token in sentence:
        if token.idx < start:
            continue
        part = token.text == "-" or hyphenated(token)
        if not part and (token.tag_ not in CONTENT_TAGS or token.lower_ in AGENDA_WORDS):
            if _plural_before_agenda_word(token):  # "Fire drills first": "drills" read as a verb
                stretch.append(token)
            break
        if token.is_stop and not part and token.lower_ not in CONTENT_STOP_WORDS:
            break
        stretch.append(token)
        if len(stretch) > MAX_TOKENS:
            return None
    if not stretch or stretch[-1].tag_ not in NOUN_END_TAGS:
        return None
    if stretch[0].tag_ in {"VB", "VBP"} and not hyphenated(stretch[0]):
        return None  # "Thank goodness, ...": a verb and its object ("walk-in cooler" is no verb)
    if _a_clause(stretch):
        return None
    after = sentence.doc[stretch[-1].i + 1] if stretch[-1].i + 1 < sentence.end else None
    if after is not None and after.lower_ in AGENDA_WORDS:
        following = sentence.doc[after.i + 1] if after.i + 1 < sentence.end else None
        return stretch if following is None or following.is_punct else None
    # A word on its own needs an opener ("Now sponsorship, ...", "Next, grading."): "Hm, ...",
    # "Sorry, ...", "Pizza." are no agenda items.
    if len(stretch) == 1 and not (opened and opened.group(1)):
        return None
    if after is not None and after.text == ",":
        return stretch
    ended = after is not None and after.text in {".", "?", "!"}
    return stretch if ended and opened and opened.group(1) else None


def _plural_before_agenda_word(token: Token) -> bool:
    following = token.doc[token.i + 1] if token.i + 1 < len(token.doc) else None
    return token.tag_ == "VBZ" and following is not None and following.lower_ in AGENDA_WORDS


def _a_clause(stretch: list[Token]) -> bool:
    """ "Our kitchen handles nuts, ...": a subject, a verb read as a noun, and its object."""
    inside = {t.i for t in stretch}
    return any(
        any(c.dep_ == "nsubj" and c.i in inside for c in t.children)
        and any(c.dep_ == "dobj" and c.i in inside for c in t.children)
        for t in stretch
    )
