"""Who is got in touch with, and how: firms and trades, groups a thing is handed to, someone referred.

Read by `contact`: "get Colas to confirm" needs a firm, not a colleague ("get facilities to look at the
fan"); "get the statement to the team" hands something to people; "refer him to the district nurse
team" introduces him; "put the water order in with Clarion Events" asks a firm to act.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from convoscope.pipeline.insights.grammar import word_set

if TYPE_CHECKING:
    from spacy.tokens import Token

# An outside firm or trade that can be got to act ("get the distributor to confirm", "get the
# Vaillant engineer booked"); not a colleague or a department ("get facilities to look at the fan",
# "get the nurses to start on that": work handed on, an action item), nor a thing ("get that done").
TRADES = word_set(
    """engineer technician plumber electrician contractor fitter surveyor supplier installer mechanic
    courier distributor vendor landlord council builder roofer locksmith broker insurer solicitor bank
    firm company centre center agency"""
)
THINGS = word_set("it this that these those everything something anything nothing")
# Who a thing is handed to when not named: "get the statement to the team", "have it to the board".
GROUPS = word_set(
    "team staff members board committee client clients customer customers residents parents families"
)
# "get the template over to Tomasz": the parse hangs "to" on "over".
HANDED_ACROSS = frozenset({"over", "across", "round", "back"})
# An order placed with a firm: "put the water order in with Clarion Events", "place an order with them".
ORDERS = word_set("order orders request claim complaint booking")


def a_firm(token: Token) -> bool:
    """A firm's name or a trade: "Colas", "Brightwell Hydraulics", "the Vaillant engineer"."""
    if token.lower_ in THINGS:
        return False
    # spaCy's entity types of a name said once are a guess ("Hortimist" a nationality, "Brightwell
    # Hydraulics" a person), so any name but a place's will do.
    named = token.pos_ == "PROPN" and token.ent_type_ != "GPE"
    return named or token.lemma_.lower() in TRADES


def handed_to_someone(verb: Token, prepositions: list[Token]) -> bool:
    """ "I'll have it to you by Thursday", "drop it in to you", "get the template over to Tomasz", "have
    the report to you" (the parse hangs "to you" on the report), "get the statement to the team"."""
    heads = [
        c
        for c in verb.children
        if c.dep_ == "dobj" or (c.dep_ in {"prep", "prt", "advmod"} and c.lower_ in HANDED_ACROSS)
    ]
    prepositions = prepositions + [
        c for h in heads for c in h.children if c.dep_ == "prep" and c.lower_ == "to"
    ]
    return any(
        p.pos_ in {"PROPN", "PRON"} or p.lemma_.lower() in GROUPS
        for c in prepositions
        for p in c.children
        if c.lower_ == "to" or p.pos_ in {"PROPN", "PRON"}
    )


def referred_or_ordered(verb: Token) -> bool:
    """ "I'll refer him to the district nurse team" (an introduction), "put the order in with Clarion
    Events" (a firm asked to act), "let's speak again at half five" (a call to come)."""
    lemma = verb.lemma_.lower()
    children = list(verb.children)
    objects = [c for c in children if c.dep_ == "dobj"]
    if lemma == "refer" and objects and any(c.dep_ == "prep" and c.lower_ == "to" for c in children):
        return True
    if lemma in {"speak", "talk"} and any(c.dep_ == "advmod" and c.lower_ == "again" for c in children):
        return True
    with_whom = [p for c in children if c.dep_ == "prep" and c.lower_ == "with" for p in c.children]
    return (
        lemma in {"put", "place"}
        and any(o.lemma_.lower() in ORDERS for o in objects)
        and any(a_firm(p) or p.lower_ in {"them", "him", "her"} for p in with_whom)
    )
