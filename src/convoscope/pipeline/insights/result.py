"""The outcome of one analysis, ready to store as JSON and to render in Symbl's wire shapes.

Every item is already a wire-shaped dict (field names as in the contract, datetimes as ISO-8601
`...Z` strings). What the API still decides at render time:
- `from`/`assignee` carry the member `id`; the API re-reads names by id so renames show up;
- topics carry both `sentiment` and `parentRefs`; the API drops them unless the query asks;
- `comprehensive_action_items` use `messageRefs`, the labs shape (§5.19).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

Item = dict[str, Any]


@dataclass(frozen=True)
class InsightResult:
    questions: tuple[Item, ...] = ()
    action_items: tuple[Item, ...] = ()
    follow_ups: tuple[Item, ...] = ()
    topics: tuple[Item, ...] = ()
    entities: tuple[Item, ...] = ()
    trackers: tuple[Item, ...] = ()
    summary: tuple[Item, ...] = ()
    message_sentiments: dict[str, Item] = field(default_factory=dict)  # message id -> sentiment
    message_phrases: dict[str, list[Item]] = field(default_factory=dict)  # message id -> phrases
    analytics: Item = field(default_factory=lambda: {"metrics": [], "members": []})
    comprehensive_action_items: tuple[Item, ...] = ()
    abstract_topics: tuple[Item, ...] = ()

    @property
    def insights(self) -> list[Item]:
        """What GET .../insights lists: questions, action items and follow-ups together."""
        return [*self.questions, *self.action_items, *self.follow_ups]

    def to_json(self) -> dict[str, Any]:
        """A JSON-safe dict (lists, dicts, strings, numbers, booleans)."""
        return {
            f.name: list(value) if isinstance(value := getattr(self, f.name), tuple) else value
            for f in fields(self)
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> InsightResult:
        """The inverse of `to_json`; unknown keys are ignored, missing ones take their defaults."""
        values: dict[str, Any] = {}
        for f in fields(cls):
            if f.name not in data:
                continue
            value = data[f.name]
            values[f.name] = tuple(value) if isinstance(value, list) else value
        return cls(**values)
