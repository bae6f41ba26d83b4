"""Which words can make up a key phrase: nouns, adjectives, gerunds before a noun ("charging carts",
"retaining wall"), the parts of a hyphenated word ("walk-in cooler", "sign-up sheet", "insurance
write-off"), and the few nouns and modifiers that spaCy lists as stop words ("breakfast show", "down
payment", "side rooms").
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from convoscope.pipeline.insights.grammar import word_set

if TYPE_CHECKING:
    from spacy.tokens import Token

# spaCy's stop words that name a thing or a part of one ("front page", "the move"); its others are
# function words, numbers or vague ("full", "enough", "various", "name", "part").
CONTENT_STOP_WORDS = word_set("back bottom down empty front side top show move")


def hyphenated(token: Token) -> bool:
    """A part of a word written with a hyphen and no spaces ("walk-in", "sign-up", "one-to-one")."""
    doc = token.doc
    before = token.i > 0 and doc[token.i - 1].text == "-" and not doc[token.i - 1].whitespace_
    after = token.i + 1 < len(doc) and doc[token.i + 1].text == "-" and not token.whitespace_
    return token.text != "-" and bool(before or after)


def hyphen_word(token: Token) -> list[Token]:
    """The parts of the hyphenated word a token is part of ("forty", "minute" of "forty-minute")."""
    doc, first, last = token.doc, token.i, token.i
    while first > 1 and doc[first - 1].text == "-" and hyphenated(doc[first - 2]):
        first -= 2
    while last + 2 < len(doc) and doc[last + 1].text == "-" and hyphenated(doc[last + 2]):
        last += 2
    return [t for t in doc[first : last + 1] if t.text != "-"]


def wordy(token: Token) -> bool:
    """A word that can be part of a key phrase (its part of speech as the parse has it)."""
    if hyphenated(token):
        return True
    if token.pos_ == "VERB":  # "charging carts", "bottling line": a gerund naming a kind
        modifier = token.dep_ in {"amod", "compound", "nmod"} and token.head.i > token.i
        return modifier and token.tag_ == "VBG" and token.head.pos_ in {"NOUN", "PROPN"}
    if token.pos_ not in {"NOUN", "PROPN", "ADJ"}:
        return False
    return not token.is_stop or token.lower_ in CONTENT_STOP_WORDS
