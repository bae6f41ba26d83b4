"""Follow-ups: the commitments and requests whose action is getting in touch with someone.

Calling, e-mailing, sending or sharing something with someone, scheduling or booking a meeting,
meeting, getting back, checking in, reaching out, talking to, introducing, letting someone know;
and getting a firm or a person to act, which takes getting in touch with them ("get Colas to
confirm the train path", "get an engineer out", "log it with Marlowe", "request one from GitHub").
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from convoscope.pipeline.insights import cues
from convoscope.pipeline.insights.commitments import Commitment
from convoscope.pipeline.insights.contact_parties import (
    THINGS,
    TRADES,
    a_firm,
    handed_to_someone,
    referred_or_ordered,
)
from convoscope.pipeline.insights.grammar import word_set

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

FOLLOW_UP_VERBS = word_set(
    """call phone ring email e-mail mail text ping message send forward schedule reschedule book meet
    contact reply respond invite connect sync share circulate ask introduce tell notify inform remind
    chase fax warn copy cc brief debrief radio nudge"""
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
    "pop": "in",  # "I'll pop in and tell them"
}
MEETING_NOUNS = word_set(
    """call meeting appointment demo sync chat session follow-up catch-up invite conversation time email
    fax check-in intro introduction reminder notice tasting visit interview walkthrough coffee lunch
    dinner ring bell buzz shout shout-out heads-up nudge"""
)
# Where a meeting is set: "I'll put it in the diary", "pencil it into the calendar".
DIARY_NOUNS = word_set("diary calendar")
PUTTING_VERBS = word_set("put pop pencil add stick")
# Raised with people where they are met: "mention it at the briefing", "raise it in the huddle".
GATHERINGS = MEETING_NOUNS | word_set("briefing huddle handover stand-up standup assembly")
# "attach them to the same email", "put that in the fax": what is sent goes into a message.
MESSAGE_NOUNS = word_set("email e-mail fax invite message text note reminder thread")


# Getting in touch when said "to" or "with" someone: "talk to the recruiters", "confirm it with the vicar".
# "write to the families", "log it with Marlowe", "register her with the vets" too.
TALKING_VERBS = word_set(
    "talk speak check consult coordinate meet raise mention pass confirm write log register report lodge"
)


# What is asked of a firm: "get a quote from Kwik-Fit", "get an answer from them".
ASKED_FOR = word_set("quote quotes estimate estimates answer price reply response confirmation callback")
SENDING_VERBS = frozenset({"get", "bring", "hand", "give", "have", "drop", "post"})


# Booking is getting in touch when a meeting, a person or a trade is booked ("book a session with
# the consultant", "I'll book you in", "book the technician"), not a thing ("book the load on
# Truxly", "book premium economy").
BOOKING_VERBS = frozenset({"book", "schedule", "reschedule"})
PEOPLE_PRONOUNS = frozenset({"you", "him", "her", "them", "me", "us"})


def _books_a_thing(verb: Token) -> bool:
    objects = [c for c in verb.children if c.dep_ in {"dobj", "dative"}]
    return (
        bool(objects)
        and not _booked_in(verb)
        and not any(
            o.lemma_.lower() in MEETING_NOUNS | TRADES
            or o.lower_ in PEOPLE_PRONOUNS
            or o.ent_type_ == "PERSON"
            for o in objects
        )
    )


def _booked_in(verb: Token) -> bool:
    """ "book the engine in with Tidewater Marine", "get the vans booked in": a thing booked in for a
    service is an appointment with whoever does it; "book the load on Truxly", "book it with them
    early" (a pitch) are not."""
    return any(c.lower_ == "in" and not list(c.children) for c in verb.children if c.dep_ in {"prt", "prep"})


def _gets_someone_to_act(verb: Token) -> bool:
    """ "get Colas to confirm the train path", "get Hortimist to replace the timer", "get the engineer
    booked", "get someone out to look at it", "get her to call you": a firm made to act, or anyone
    made to get in touch."""
    if verb.lemma_.lower() != "get":
        return False
    children = list(verb.children)
    # the act that follows: "to confirm", "booked"; not a clause of its own ("before the engineer comes")
    acts = [
        c
        for c in children
        if c.i > verb.i
        and c.pos_ in {"VERB", "AUX"}
        and (
            c.dep_ in {"xcomp", "ccomp"} or (c.dep_ == "advcl" and any(a.lower_ == "to" for a in c.children))
        )
        and not any(m.dep_ == "mark" for m in c.children)
    ]
    # the party as the object of "get", or as the subject of the act ("get Hortimist to replace")
    parties = [c for c in children if c.dep_ == "dobj"]
    # "get the other two booked in before the 30th": a thing got booked in for a service
    booked = [a for p in parties for a in p.children if a.dep_ == "acl" and a.lemma_.lower() in BOOKING_VERBS]
    if any(c.lower_ == "in" and c.dep_ == "prt" for c in children) and booked:
        return True
    parties += [s for a in acts for s in a.children if s.dep_ in {"nsubj", "nsubjpass"}]
    if not parties:
        return False
    if any(is_contact_verb(a) for a in acts if a.lemma_.lower() != "get"):
        return True
    near = children + [c for p in parties for c in p.children]  # "out" may hang on the firm's name
    out = any(c.lower_ in {"out", "round"} and c.dep_ in {"prt", "advmod"} for c in near)
    if out and any(p.lower_ in {"someone", "somebody"} for p in parties):
        return True
    return (out or bool(acts)) and any(a_firm(p) for p in parties)


def _asks_a_party_for(verb: Token) -> bool:
    """ "request one from GitHub", "get a quote from Stagecraft": something asked of a firm."""
    lemma = verb.lemma_.lower()
    objects = [c for c in verb.children if c.dep_ == "dobj"]
    if lemma != "request" and not (lemma == "get" and any(o.lemma_.lower() in ASKED_FOR for o in objects)):
        return False
    from_whom = [p for c in verb.children if c.lower_ == "from" for p in c.children if p.dep_ == "pobj"]
    from_whom += [
        p for o in objects for c in o.children if c.lower_ == "from" for p in c.children if p.dep_ == "pobj"
    ]
    # a quote comes from a firm, whatever spaCy takes its name for ("Towergate" a place)
    return any(a_firm(p) or p.pos_ == "PROPN" or p.lower_ in {"them", "him", "her"} for p in from_whom)


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
    if lemma == "let" and any(c.lemma_ == "know" for c in verb.children):  # "let the press office know"
        return True
    if _gets_someone_to_act(verb) or _asks_a_party_for(verb):
        return True
    if lemma == "make" and any(t.lemma_ == "know" for t in verb.subtree):  # "make sure the lab knows"
        return True
    if _raised_where_met(verb) or _put_in_the_diary(verb):
        return True
    # "I'll knock on his door tonight": calling on someone.
    if lemma == "knock" and any(t.lemma_.lower() == "door" for t in verb.subtree):
        return True
    if lemma == "keep" and {t.lower_ for t in following} & {"posted", "updated", "informed", "loop"}:
        return True  # "keep me posted"
    # "talk to the recruiters", "get the copy to Raj": speaking or handing something to a person.
    # The parse may hang "with them" on the object: "confirm the booking with them".
    heads = [verb, *(c for c in verb.children if c.dep_ == "dobj")] if lemma in TALKING_VERBS else [verb]
    prepositions = [
        c for h in heads for c in h.children if c.dep_ in {"prep", "dative"} and c.lower_ in {"to", "with"}
    ]
    # "write it with my brother" is writing together; "write to the families" is getting in touch.
    if lemma in TALKING_VERBS and any(p.lower_ == "to" or lemma != "write" for p in prepositions):
        return True
    if lemma in SENDING_VERBS and handed_to_someone(verb, prepositions):
        return True
    if referred_or_ordered(verb):
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


def _raised_where_met(verb: Token) -> bool:
    """ "I'll mention it when I speak to them", "mention it at the briefing": raised with people when
    they are met; not "I'll mention it in your review" (written) or "if it goes well, I'll mention it"."""
    if verb.lemma_.lower() not in {"mention", "raise"}:
        return False
    when = [
        c
        for c in verb.children
        if c.dep_ == "advcl" and any(m.lower_ in {"when", "once"} for m in c.children)
    ]
    at = [
        p
        for c in verb.children
        if c.dep_ == "prep" and c.lower_ in {"at", "in", "during"}
        for p in c.children
        if p.lemma_.lower() in GATHERINGS
    ]
    return bool(when or at)


def _put_in_the_diary(verb: Token) -> bool:
    """ "11:30 is fine, I'll put it in the diary": a meeting set (not "put the dates in the calendar")."""
    objects = [c for c in verb.children if c.dep_ == "dobj"]
    if verb.lemma_.lower() not in PUTTING_VERBS or not all(
        o.lower_ in THINGS | PEOPLE_PRONOUNS for o in objects
    ):
        return False
    into = [c for c in verb.children if c.dep_ == "prep" and c.lower_ in {"in", "into"}]
    return any(p.lemma_.lower() in DIARY_NOUNS for c in into for p in c.children if p.dep_ == "pobj")


def is_follow_up(commitment: Commitment) -> bool:
    """A follow-up is an action item whose action (or a coordinated one) is contacting someone."""
    verb = commitment.verb
    # "I'll start calling them next week": the action is the complement of "start".
    complements = [c for c in verb.children if c.dep_ == "xcomp" and verb.lemma_ in {"start", "begin", "try"}]
    return any(is_contact_verb(v) for v in (verb, *verb.conjuncts, *complements))


def asked_to_get_in_touch(span: Span, has_commitment: bool, opening: str) -> bool:
    """ "Would you be able to email me a copy?", "Can someone call me when he's on his way?": asked
    as a question, with no commitment clause the parse can find, to get in touch; put as a condition
    ("If you could get in touch with the caretaker, that'd be great"); advised ("It'd be worth asking
    Bloom Theory to keep a few stems", "Best to ask the roofers to bring tiles"); or a meeting wanted
    ("I'd like a post-incident review booked for Thursday")."""
    asked = not has_commitment and cues.any_clause(cues.ASKING_TO_DO, opening)
    if asked or cues.IF_YOU_COULD.match(opening):
        return any(t.pos_ == "VERB" and is_contact_verb(t) for t in span)
    advised = cues.SUGGESTED_TASK.search(span.text.lower()) or cues.BEST_TO.match(opening)
    if advised:
        # the act advised: the first verb after "worth", "best" or "suggest"
        anchors = [t.i for t in span if t.lower_ in {"worth", "best", "suggest", "recommend", "advise"}]
        after = [t for t in span if anchors and t.i > anchors[0] and t.tag_ in {"VB", "VBG"}]
        if not after or after[0].pos_ != "VERB":
            return False
        # "It'd be worth booking that soon": what is booked is unclear, a thing as likely as a meeting
        unclear = after[0].lemma_.lower() in BOOKING_VERBS and not any(
            c.dep_ == "dobj" for c in after[0].children
        )
        return not unclear and is_contact_verb(after[0])
    if cues.WANTED.match(opening):
        return any(t.dep_ == "acl" and t.lemma_.lower() in BOOKING_VERBS | {"arrange", "set"} for t in span)
    return False


# Who may be asked to come out: "Could your surveyor come this week?", "Can someone come round?"
COMING_VERBS = word_set("come pop visit call")


def asks_another_to_get_in_touch(span: Span) -> bool:
    """ "Could Priti call me about the budget?", "Could your surveyor come this week?": someone other
    than the listener asked, as a question, to get in touch or, for a trade, to come out."""
    tokens = [t for t in span if not (t.is_punct or t.lower_ in {"and", "so", "then", "oh", "okay", "also"})]
    if (
        not span.text.rstrip().endswith("?")
        or not tokens
        or tokens[0].lower_ not in {"can", "could", "would", "will"}
    ):
        return False
    verb = tokens[0].head
    subjects = [c for c in verb.children if c.dep_ == "nsubj" and c.i > tokens[0].i]
    if not subjects or verb.pos_ != "VERB":
        return False
    subject = subjects[0]
    if any(
        t.lower_ in {"what", "which", "how", "when", "where", "who", "whether", "if"}
        for t in span
        if t.i > verb.i
    ):
        return False  # "Can someone remind me which pan is the gluten-free one?" asks for an answer
    if subject.lower_ in PEOPLE_PRONOUNS | {"it", "that", "this", "there", "i", "we", "he", "she", "they"}:
        return False
    a_trade = subject.lemma_.lower() in TRADES or subject.lower_ in {"someone", "somebody"}
    if a_trade and verb.lemma_.lower() in COMING_VERBS:
        return True
    return (subject.pos_ == "PROPN" or a_trade) and is_contact_verb(verb)
