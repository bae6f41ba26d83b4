"""What the words around a name say about whether it names a firm (used by `organizations`).

A firm is spoken of as a group ("Brindle are sending a van", "Rockhaus, they come out from Leeds",
"ask Bramble whether they'd sponsor it"), as a supplier a customer is with ("I'm with Zurich"), as a
product's maker ("Tesla and Enphase batteries") or spelt as a brand ("QuickBooks"); letters said as a
thing ("a PDF") name none.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Span


def common_noun_acronym(span: Span) -> bool:
    """ "a PDF", "an ETA", "the order IDs": letters for a thing, said with "a"/"an" or in the plural,
    which an organisation's name is not ("an IELTS score", "an FAA waiver" name who sets them)."""
    text = span.text
    letters = text.rstrip("s")
    if not (letters[:1].isupper() and letters.replace("-", "").isalnum() and letters.upper() == letters):
        return False
    before = span.doc[span.start - 1] if span.start > 0 else None
    plural = text.endswith("s") and len(letters) >= 2 and text != letters
    after = span.doc[span.end] if span.end < len(span.doc) else None
    modifies = after is not None and after.pos_ in {"NOUN", "PROPN"}
    return plural or (before is not None and before.lower_ in {"a", "an"} and not modifies)


def coordinated_modifier(span: Span) -> bool:
    """ "Tesla and Enphase batteries": a name joined by "and"/"or" to another before a noun."""
    doc = span.doc
    before = doc[span.start - 1] if span.start > 0 else None
    after = doc[span.end] if span.end < len(doc) else None
    if after is None:
        return False
    if before is not None and before.lower_ in {"and", "or"} and after.pos_ == "NOUN":
        return span.start >= 2 and doc[span.start - 2].text[:1].isupper()
    if after.lower_ in {"and", "or"} and span.end + 2 < len(doc):
        other, noun = doc[span.end + 1], doc[span.end + 2]
        return other.text[:1].isupper() and noun.pos_ == "NOUN"
    return False


def is_brand_spelling(text: str) -> bool:
    """ "QuickBooks", "RouteWise": a capital inside the word."""
    return any(re.search(r"[a-z][A-Z]", word) for word in text.split())


def joined_and_singular(span: Span) -> bool:
    """ "Quill and Fern has done": names joined by "and" that take a singular verb are one firm."""
    after = span.doc[span.end] if span.end < len(span.doc) else None
    return after is not None and after.tag_ == "VBZ" and any(t.lower_ == "and" for t in span)


def agrees_as_a_group(span: Span) -> bool:
    """ "once Vigo have been", "Brindle are sending a van": one name with a plural verb, as a company
    takes in spoken British English and a person never does."""
    head = span[-1]
    joined = any(t.lower_ in {"and", "&", "or"} for t in span)
    if head.dep_ != "nsubj" or head.tag_ not in {"NNP", "NN"} or joined:
        return False
    if any(c.dep_ in {"prep", "conj"} for c in head.children):
        return False  # "Half of the pages are...", "Tom and Priya are...": the plural is theirs
    if head.tag_ == "NN" and (head.i == span.sent.start or head.nbor(-1).is_punct):
        return False  # "Half have gone": a common word at a clause's start
    verb = head.head
    forms = [verb, *(c for c in verb.children if c.dep_ in {"aux", "auxpass"})]
    return any(t.tag_ == "VBP" or t.lower_ == "were" for t in forms)


# "they'd" is "they" + "'d" to the parser; "them" is as often what the name's verb acts on ("Marketing
# wants to write them").
GROUP_PRONOUNS = frozenset({"they", "their"})
# Another who the pronoun could take up: "ask Sam whether the suppliers said they..."
OTHER_REFERENTS = frozenset({"and", "or", "he", "she", "his", "her", "him", "we", "you", "i", "us"})
BEING = frozenset({"'m", "am", "'re", "are", "is", "'s", "was", "were", "been", "be"})
SUBJECTS = frozenset({"i", "we", "they", "he", "she", "it"})


def referred_to_as_they(span: Span) -> bool:
    """ "Rockhaus, they come out from Leeds", "ask Bramble whether they'd sponsor the seed swap": a
    plural pronoun soon after the name that can take up nothing else (no plural noun, name or other
    person in between), as a firm is spoken of and one person rarely is. At a sentence's start only a
    proper noun counts ("Same rate, they just think...", "Legal review, they promised...")."""
    doc = span.doc
    before = doc[span.start - 1] if span.start > 0 else None
    if (span.start == span.sent.start or (before is not None and before.is_punct)) and span[-1].tag_ != "NNP":
        return False
    for token in doc[span.end : min(span.sent.end, span.end + 7)]:
        if token.lower_ in GROUP_PRONOUNS:
            return True
        if token.tag_ in {"NNS", "NNPS"} or token.pos_ == "PROPN" or token.lower_ in OTHER_REFERENTS:
            return False
    return False


def a_customer_of(span: Span) -> bool:
    """ "I'm with Zurich", "we're with Halden": whom a customer buys from (not "I'm with Sarah",
    whom spaCy takes for a person)."""
    doc, start = span.doc, span.start
    if start < 3 or any(t.ent_type_ == "PERSON" for t in span):
        return False
    return (
        doc[start - 1].lower_ == "with"
        and doc[start - 2].lower_ in BEING
        and doc[start - 3].lower_ in SUBJECTS
    )
