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
    contact reply respond invite connect sync share circulate ask introduce tell notify inform remind
    chase fax warn copy cc brief debrief radio"""
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
    "catch": "up",
    "write": "back",
    "pass": "on",
}
MEETING_NOUNS = word_set(
    """call meeting appointment demo sync chat session follow-up catch-up invite conversation time email
    fax check-in intro introduction reminder notice tasting visit interview walkthrough coffee lunch
    dinner ring bell buzz shout shout-out heads-up"""
)
# "attach them to the same email", "put that in the fax": what is sent goes into a message.
MESSAGE_NOUNS = word_set("email e-mail fax invite message text note reminder thread")


# Getting in touch when said "to" or "with" someone: "talk to the recruiters", "confirm it with the vicar".
# "write to the families" too.
TALKING_VERBS = word_set("talk speak check consult coordinate meet raise mention pass confirm write")


# Booking is getting in touch when a meeting or a person is booked ("book a session with the
# consultant", "I'll book you in"), not a thing ("book the load on Truxly", "book premium economy").
BOOKING_VERBS = frozenset({"book", "schedule", "reschedule"})
PEOPLE_PRONOUNS = frozenset({"you", "him", "her", "them", "me", "us"})


def _books_a_thing(verb: Token) -> bool:
    objects = [c for c in verb.children if c.dep_ in {"dobj", "dative"}]
    return bool(objects) and not any(
        o.lemma_.lower() in MEETING_NOUNS or o.lower_ in PEOPLE_PRONOUNS or o.ent_type_ == "PERSON"
        for o in objects
    )


def is_contact_verb(verb: Token) -> bool:
    """Does this verb mean getting in touch with someone: call, email, send, meet, get back...?"""
    lemma = verb.lemma_.lower()
    if lemma in BOOKING_VERBS and _books_a_thing(verb):
        return False
    if lemma in FOLLOW_UP_VERBS or verb.lower_ in FOLLOW_UP_VERBS:  # the tagger reads "ping" as "pe"
        return True
    following = verb.doc[verb.i + 1 : verb.i + 4]
    if FOLLOW_UP_PARTICLES.get(lemma) in {t.lower_ for t in following}:
        return True
    # "get in touch", "put her in touch with me"
    if lemma in {"get", "keep", "stay", "put"} and "touch" in {t.lower_ for t in following}:
        return True
    if lemma == "know" and verb.head.lemma_ == "let":  # "let me know by Friday"
        return True
    if lemma == "make" and any(t.lemma_ == "know" for t in verb.subtree):  # "make sure the lab knows"
        return True
    if lemma == "keep" and {t.lower_ for t in following} & {"posted", "updated", "informed", "loop"}:
        return True  # "keep me posted"
    # "talk to the recruiters", "get the copy to Raj": speaking or handing something to a person.
    # The parse may hang "with them" on the object: "confirm the booking with them".
    heads = [verb, *(c for c in verb.children if c.dep_ == "dobj")] if lemma in TALKING_VERBS else [verb]
    prepositions = [
        c for h in heads for c in h.children if c.dep_ in {"prep", "dative"} and c.lower_ in {"to", "with"}
    ]
    if lemma in TALKING_VERBS and prepositions:
        return True
    people = [p for c in prepositions for p in c.children if p.pos_ in {"PROPN", "PRON"}]
    if lemma in {"get", "bring", "hand", "give", "have"} and people:  # "I'll have it to you by Thursday"
        return True
    objects = [c for c in verb.children if c.dep_ == "dobj"]
    objects += [conj for o in objects for conj in o.conjuncts]
    # "do a round of calls", "make a couple of calls": what the object is made of.
    objects += [
        p for o in objects for c in o.children if c.lower_ == "of" for p in c.children if p.dep_ == "pobj"
    ]
    if lemma == "drop" and any(o.lower_ in {"line", "note"} for o in objects):  # "drop her a line"
        return True
    if any(t.lemma_.lower() in MEETING_NOUNS for t in objects):
        return True
    into = [c for c in verb.children if c.dep_ == "prep" and c.lower_ in {"in", "into", "to", "on"}]
    return any(p.lemma_.lower() in MESSAGE_NOUNS for c in into for p in c.children if p.dep_ == "pobj")


def is_follow_up(commitment: Commitment) -> bool:
    """A follow-up is an action item whose action (or a coordinated one) is contacting someone."""
    verb = commitment.verb
    # "I'll start calling them next week": the action is the complement of "start".
    complements = [c for c in verb.children if c.dep_ == "xcomp" and verb.lemma_ in {"start", "begin", "try"}]
    return any(is_contact_verb(v) for v in (verb, *verb.conjuncts, *complements))
