"""Follow-ups: the commitments and requests whose action is getting in touch with someone.

Calling, e-mailing, sending or sharing something with someone, scheduling or booking a meeting,
meeting, getting back, checking in, reaching out, talking to, introducing, letting someone know.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from convoscope.pipeline.insights.commitments import Commitment
from convoscope.pipeline.insights.grammar import word_set

if TYPE_CHECKING:
    from spacy.tokens import Token

FOLLOW_UP_VERBS = word_set(
    """call phone ring email e-mail mail text ping message send forward schedule reschedule book meet
    contact reply respond invite connect sync share circulate ask introduce"""
)
FOLLOW_UP_PARTICLES = {
    "reach": "out",
    "follow": "up",
    "get": "back",
    "circle": "back",
    "check": "in",
    "touch": "base",
    "loop": "in",
    "hop": "on",
    "walk": "through",
}
MEETING_NOUNS = word_set(
    "call meeting appointment demo sync chat session follow-up catch-up invite conversation time email"
)


def _is_contact_verb(verb: Token) -> bool:
    """Does this verb mean getting in touch with someone: call, email, send, meet, get back...?"""
    lemma = verb.lemma_.lower()
    if lemma in FOLLOW_UP_VERBS:
        return True
    following = verb.doc[verb.i + 1 : verb.i + 4]
    if FOLLOW_UP_PARTICLES.get(lemma) in {t.lower_ for t in following}:
        return True
    if lemma == "know" and verb.head.lemma_ == "let":  # "let me know by Friday"
        return True
    if lemma == "keep" and {t.lower_ for t in following} & {"posted", "updated", "informed", "loop"}:
        return True  # "keep me posted"
    # "talk to the recruiters", "get the copy to Raj": speaking or handing something to a person.
    prepositions = [c for c in verb.children if c.dep_ in {"prep", "dative"} and c.lower_ in {"to", "with"}]
    if lemma in {"talk", "speak"} and prepositions:
        return True
    people = [p for c in prepositions for p in c.children if p.pos_ in {"PROPN", "PRON"}]
    if lemma in {"get", "bring", "hand", "give"} and people:
        return True
    objects = [c for c in verb.children if c.dep_ == "dobj"]
    objects += [conj for o in objects for conj in o.conjuncts]
    return any(t.lemma_.lower() in MEETING_NOUNS for t in objects)


def is_follow_up(commitment: Commitment) -> bool:
    """A follow-up is an action item whose action (or a coordinated one) is contacting someone."""
    return any(_is_contact_verb(verb) for verb in (commitment.verb, *commitment.verb.conjuncts))
