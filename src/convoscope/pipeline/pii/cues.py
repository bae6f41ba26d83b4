"""The words around a number that say what it is ("my social security number is ...", "the code on
the back", "you can reach me at ..."), and which of them is nearest."""

from __future__ import annotations

import re
from enum import StrEnum


class Cue(StrEnum):
    CARD = "card"
    CVV = "cvv"
    EXPIRY = "expiry"
    PIN = "pin"
    SSN = "ssn"
    PHONE = "phone"
    ROUTING = "routing"
    ACCOUNT = "account"
    PASSPORT = "passport"
    LICENSE = "license"
    BIRTH = "birth"
    AGE = "age"
    SWIFT = "swift"
    IBAN = "iban"
    ADDRESS = "address"


CUES: dict[Cue, re.Pattern[str]] = {
    cue: re.compile(rf"\b(?:{pattern})\b", re.IGNORECASE)
    for cue, pattern in {
        Cue.CARD: r"(?:credit|debit)(?: card)?|card(?: number)?|visa|master ?card|amex|american express|"
        r"discover card|long number on the (?:front|card)",
        Cue.CVV: r"cvv2?|cvc2?|csc|security code|verification (?:code|number|value)|"
        r"(?:three|four|3|4)[- ]digit (?:code|number)|code on the back|back of (?:the|your) card|"
        r"(?<!area )(?<!zip )(?<!postal )(?<!promo )(?<!discount )(?<!error )code",
        Cue.EXPIRY: r"(?:expir|experat)(?:y|es|ed|ation|ing|ion|ional)?(?: date)?|exp date|"
        r"valid (?:thru|through|until)|"
        r"good (?:thru|through)",
        Cue.PIN: r"pin(?: number| code)?|passcode",
        Cue.SSN: r"social security(?: number)?|socials?|ssn|s s n|tax id|taxpayer id",
        Cue.PHONE: r"phone|cell(?: phone)?|mobile|telephone|call (?:me|us|him|her|them)|"
        r"reach (?:me|us|him|her|them)|(?:my|your|his|her|their|best|contact) number|"
        r"callback|call back|fax|text me|landline|contact number|extension|dial",
        Cue.ROUTING: r"routing(?: number)?|aba|transit number|sort code",
        Cue.ACCOUNT: r"(?:bank |checking |savings )?account(?: number)?|acct",
        Cue.PASSPORT: r"passport(?: number)?",
        Cue.LICENSE: r"driver'?s'? licen[cs]e(?: number)?|driving licen[cs]e|licen[cs]e number|dl number|"
        r"(?:my|your|his|her|the) licen[cs]e(?! (?:key|plate|fee|agreement))",
        Cue.BIRTH: r"born|birth(?:day| date)?|date of birth|dob|d o b",
        Cue.AGE: r"age|aged|years? old|year-old|yrs old",
        Cue.SWIFT: r"swift(?: code)?|bic(?: code)?|bank(?: identifier)? code",
        Cue.IBAN: r"iban",
        Cue.ADDRESS: r"address|live at|lives at|located at|ship(?:ped)? to|mail(?:ed)? to|deliver(?:ed)? to",
    }.items()
}

# How far to look: a cue belongs to a number said soon after it ("my card number is ...", even in the
# question before the answer), or just before it ("... is my PIN").
BEFORE = 90
AFTER = 30


def nearest_cue(text: str, start: int, end: int, allowed: frozenset[Cue] | None = None) -> Cue | None:
    """The cue closest to `text[start:end]`: before it (within `BEFORE` characters) or after it
    (within `AFTER`), preferring the one before."""
    before = text[max(0, start - BEFORE) : start]
    after = text[end : end + AFTER]
    best: tuple[int, int, Cue] | None = None  # distance, minus the cue's length (longer wins a tie)
    for cue, pattern in CUES.items():
        if allowed is not None and cue not in allowed:
            continue
        for match in pattern.finditer(before):
            key = (len(before) - match.end(), match.start() - match.end(), cue)
            best = key if best is None or key[:2] < best[:2] else best
        found = pattern.search(after)
        if found is not None:
            key = (found.start() * 3 + 10, found.start() - found.end(), cue)  # after: weaker than before
            best = key if best is None or key[:2] < best[:2] else best
    return best[2] if best else None


def has_cue(text: str, start: int, end: int, cue: Cue) -> bool:
    return nearest_cue(text, start, end, frozenset({cue})) is not None
