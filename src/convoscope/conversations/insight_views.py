"""Stored insights rendered for the wire, with members re-read at request time.

Insights are stored with member ids; names and emails are looked up when served, so a rename,
a merge or speaker events show up at once without recomputing anything.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from convoscope.conversations.render import sender_json
from convoscope.tables import Member, Message

Item = dict[str, Any]


@dataclass(frozen=True)
class MemberLookup:
    members: dict[str, Member]
    speaker_of_message: dict[str, str | None]

    @classmethod
    def build(cls, members: list[Member], messages: list[Message]) -> MemberLookup:
        return cls({m.id: m for m in members}, {m.id: m.member_id for m in messages})

    def speaker(self, message_ids: list[str]) -> Member | None:
        for message_id in message_ids:
            member_id = self.speaker_of_message.get(message_id)
            if member_id and member_id in self.members:
                return self.members[member_id]
        return None

    def refresh(self, person: Any, *, user_id_field: bool) -> Any:
        """A stored `{id, name, ...}` with the member's current name and contact, when it is a member."""
        if not isinstance(person, dict) or person.get("id") not in self.members:
            return person
        return sender_json(self.members[person["id"]], user_id_field=user_id_field)


def render_items(items: list[Item], lookup: MemberLookup) -> list[Item]:
    """Questions, action items, follow-ups: `from` is whoever now speaks the item's message."""
    rendered = []
    for item in items:
        fresh = dict(item)
        message_ids = item.get("messageIds") or [ref.get("id") for ref in item.get("messageRefs", [])]
        speaker = lookup.speaker(message_ids)
        if speaker is not None:
            fresh["from"] = sender_json(speaker, user_id_field=True)
        elif "from" in item:
            fresh["from"] = lookup.refresh(item["from"], user_id_field=True)
        if "assignee" in item:
            fresh["assignee"] = lookup.refresh(item["assignee"], user_id_field=False)
        rendered.append(fresh)
    return rendered


def render_topics(topics: list[Item], *, sentiment: bool, parent_refs: bool) -> list[Item]:
    rendered = []
    for topic in topics:
        fresh = {k: v for k, v in topic.items() if k not in ("sentiment", "parentRefs")}
        if sentiment and "sentiment" in topic:
            fresh["sentiment"] = topic["sentiment"]
        if parent_refs:
            fresh["parentRefs"] = topic.get("parentRefs", [])
        rendered.append(fresh)
    return rendered
