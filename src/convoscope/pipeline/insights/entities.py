"""Entities: people, organisations, places, dates, money, numbers and custom entities, each with its
normalised value, the text said and every message that mentions it.

spaCy's NER gives people, organisations, locations, dates, times, money and numbers. The small model
misses some spoken forms, so recall is topped up with the conversation's own member names, money and
number patterns, and the spoken date forms of `dates`. Custom entities from the request are matched
as whole words, case-insensitively.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from convoscope.pipeline.insights import dates
from convoscope.pipeline.insights.grammar import word_set
from convoscope.pipeline.insights.options import CustomEntity, InsightOptions
from convoscope.pipeline.insights.organizations import organization_names
from convoscope.pipeline.insights.parsed import ParsedConversation, conversation_members
from convoscope.pipeline.insights.refs import MessageRef

if TYPE_CHECKING:
    from spacy.tokens import Doc


@dataclass(frozen=True)
class Entity:
    """Something named in the conversation, grouped by kind and value over all its mentions."""

    kind: str  # "person", "organization", "location", "date", "time", "money", "number", ... "custom"
    value: str  # normalised: a member's full name, a date as YYYY-MM-DD, a custom entity's value
    text: str  # as first said
    mentions: tuple[MessageRef, ...]
    custom_type: str | None = None  # custom entities: the type the request gave

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "value": self.value,
            "text": self.text,
            "mentions": [mention.to_json() for mention in self.mentions],
            "custom_type": self.custom_type,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Entity:
        return cls(
            kind=data["kind"],
            value=data["value"],
            text=data["text"],
            mentions=tuple(MessageRef.from_json(mention) for mention in data["mentions"]),
            custom_type=data.get("custom_type"),
        )


SPACY_TYPES = {
    "PERSON": "person",
    "GPE": "location",
    "LOC": "location",
    "FAC": "location",
    "MONEY": "money",
    "CARDINAL": "number",
    "QUANTITY": "number",
    "PERCENT": "number",
    "EVENT": "event",
}
MONEY = re.compile(
    r"(?:[$€£]\s?\d[\d,]*(?:\.\d+)?(?:\s?(?:k|m|bn|million|thousand|billion)\b)?)|"
    r"\b\d[\d,]*(?:\.\d+)?\s?(?:k\s)?(?:dollars|euros|pounds|bucks|usd|eur)\b",
    re.IGNORECASE,
)
NUMBER = re.compile(r"\b\d[\d,]*(?:\.\d+)?%?")
SPELLED_NUMBER = re.compile(
    r"\b(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
    r"(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?|"
    r"two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
    r"sixteen|seventeen|eighteen|nineteen|(?:a |one |two |three |five )?(?:hundred|thousand|million))\b",
    re.IGNORECASE,
)
QUARTER = re.compile(r"\b(?:Q[1-4]|H[12])(?:\s+\d{4})?\b")
DIGITS = re.compile(r"^\d[\d,.]*$")
# Mail providers say nothing about the member's organisation.
PERSONAL_MAIL_DOMAINS = word_set(
    "gmail googlemail outlook hotmail live yahoo icloud me aol proton protonmail gmx example"
)
Found = tuple[str, str, int, str]  # (type, text, offset in message, value)


def _overlaps(start: int, end: int, taken: list[tuple[int, int]]) -> bool:
    return any(start < e and s < end for s, e in taken)


class _Names:
    """The names the conversation itself gives (members, their mail domains' organisations, the
    organisations found), each kind compiled once into one pattern."""

    def __init__(self, conversation: ParsedConversation, organizations: Mapping[str, str]) -> None:
        self.members: dict[str, str] = {}
        for member in conversation_members(conversation.transcript):
            for name in (member.name, member.name.split()[0]):
                self.members.setdefault(name, member.name)
        self.organizations = {key.lower(): name for key, name in organizations.items()}
        self.member_pattern = _alternation(list(self.members), 0)
        self.domain_pattern = _alternation(_member_organizations(conversation), re.IGNORECASE, escape=False)
        self.organization_pattern = _alternation(list(self.organizations), re.IGNORECASE)


def _alternation(names: list[str], flags: int, escape: bool = True) -> re.Pattern[str] | None:
    if not names:
        return None
    parts = [re.escape(n) if escape else n for n in sorted(names, key=len, reverse=True)]
    return re.compile(rf"(?<!\w)(?:{'|'.join(parts)})(?!\w)", flags)


def _message_entities(
    doc: Doc, names: _Names, mentions: list[dates.DateMention], options: InsightOptions
) -> list[Found]:
    found: list[Found] = []
    taken: list[tuple[int, int]] = []

    def add(kind: str, start: int, end: int, value: str) -> None:
        if not _overlaps(start, end, taken):
            taken.append((start, end))
            found.append((kind, doc.text[start:end], start, value))

    # Names the conversation itself tells us come first: its members and their organisations.
    if names.member_pattern is not None:
        for match in names.member_pattern.finditer(doc.text):
            add("person", match.start(), match.end(), names.members[match.group()])
    if names.organization_pattern is not None:
        for match in names.organization_pattern.finditer(doc.text):
            add("organization", match.start(), match.end(), names.organizations[match.group().lower()])
    if names.domain_pattern is not None:
        for match in names.domain_pattern.finditer(doc.text):
            add("organization", match.start(), match.end(), match.group())
    for match in QUARTER.finditer(doc.text):
        add("date", match.start(), match.end(), match.group())
    for mention in mentions:
        if DIGITS.match(mention.text) and not re.fullmatch(r"(?:19|20)\d\d", mention.text):
            continue  # "it ends in 4471": a number the small model took for a year
        if SPELLED_NUMBER.fullmatch(mention.text.strip()):
            continue  # "Forty rooms": a number the small model took for a date
        value = dates.mention_value(mention, options.timezone_offset_minutes)
        add(mention.label, mention.start, mention.start + len(mention.text), value)
    # Money before spaCy, whose MONEY entities leave the currency sign out ("$" + "3,000").
    for match in MONEY.finditer(doc.text):
        add("money", match.start(), match.end(), match.group())
    for ent in doc.ents:
        kind = SPACY_TYPES.get(ent.label_)
        if kind is not None:
            add(kind, ent.start_char, ent.end_char, ent.text)
    for pattern in (NUMBER, SPELLED_NUMBER):
        for match in pattern.finditer(doc.text):
            add("number", match.start(), match.end(), match.group())
    return found


def _member_organizations(conversation: ParsedConversation) -> list[str]:
    """Patterns for the organisations in members' e-mail domains ("meridianhealth.org" -> Meridian Health)."""
    patterns = []
    for member in conversation_members(conversation.transcript):
        domain = (member.email or "").rpartition("@")[2].split(".")
        name = domain[-2] if len(domain) >= 2 else ""
        if len(name) >= 3 and name not in PERSONAL_MAIL_DOMAINS:
            # Let spaces fall anywhere between the letters: "fastcart" matches "FastCart" and "Fast Cart".
            patterns.append(r"\s?".join(re.escape(letter) for letter in name))
    return list(dict.fromkeys(patterns))


def _custom_matches(text: str, entity: CustomEntity) -> list[re.Match[str]]:
    return list(re.finditer(rf"\b{re.escape(entity.text)}s?\b", text, re.IGNORECASE))


def detect_entities(
    conversation: ParsedConversation,
    options: InsightOptions,
    date_mentions: Sequence[Sequence[dates.DateMention]] | None = None,
    organizations: Mapping[str, str] | None = None,
) -> list[Entity]:
    """Entities grouped by (kind, value), in order of first mention, each with every mention.

    `date_mentions`: the date and time expressions of each message, and `organizations` the
    conversation's `organization_names`, when they were read already.
    """
    first: dict[tuple[str, str, str], Entity] = {}  # the first mention of each group
    mentions: dict[tuple[str, str, str], list[MessageRef]] = {}

    def record(key: tuple[str, str, str], entity: Entity, mention: MessageRef) -> None:
        first.setdefault(key, entity)
        found = mentions.setdefault(key, [])
        if mention not in found:
            found.append(mention)

    names = _Names(conversation, organization_names(conversation) if organizations is None else organizations)
    if date_mentions is None:
        transcript = conversation.transcript
        date_mentions = [
            dates.find_dates(doc[:], transcript.reference_time, options.timezone_offset_minutes)
            for doc in conversation.docs
        ]
    for message, doc, said_dates in zip(conversation.messages, conversation.docs, date_mentions, strict=True):
        for kind, text, offset, value in _message_entities(doc, names, list(said_dates), options):
            # Dates are told apart by what was said too: "today" and "March 4" stay two entities.
            surface = text.lower() if kind in {"date", "time", "datetime"} else ""
            mention = MessageRef(message.id, message.text, offset)
            record((kind, surface, value.lower()), Entity(kind, value, text, ()), mention)
        for custom in options.custom_entities:
            for match in _custom_matches(message.text, custom):
                value = custom.value or custom.text
                mention = MessageRef(message.id, message.text, match.start())
                entity = Entity("custom", value, match.group(), (), custom_type=custom.custom_type)
                record(("custom", custom.custom_type, value.lower()), entity, mention)
    return [Entity(e.kind, e.value, e.text, tuple(mentions[key]), e.custom_type) for key, e in first.items()]
