"""What the scorer compares with the labels, read the same way from any version of the engine.

`from_result` reads the typed result of an in-process `analyze`; `from_wire` reads the API's answers
(Symbl's field names). Only fields every version has are required, so the same scorer measures the
code before and after a change.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Item:
    message_ids: tuple[str, ...]
    text: str
    assignee: str = ""
    due_by: str | None = None
    rephrased: str = ""  # the comprehensive action item's text


@dataclass(frozen=True)
class EntityView:
    kind: str
    value: str
    text: str


@dataclass(frozen=True)
class Prediction:
    questions: tuple[Item, ...]
    action_items: tuple[Item, ...]
    follow_ups: tuple[Item, ...]
    entities: tuple[EntityView, ...]
    topics: tuple[str, ...]
    summary: tuple[Item, ...]


def _person_name(person: Any) -> str:
    if person is None:
        return ""
    if isinstance(person, dict):
        return str(person.get("name") or "")
    return str(getattr(person, "name", "") or "")


def from_result(result: Any) -> Prediction:
    def item(value: Any) -> Item:
        due = getattr(value, "due_by", None)
        return Item(
            message_ids=tuple(value.message_ids),
            text=value.text,
            assignee=_person_name(getattr(value, "assignee", None)),
            due_by=due.isoformat() if due else None,
            rephrased=getattr(value, "rephrased", None) or value.text,
        )

    return Prediction(
        questions=tuple(item(q) for q in result.questions),
        action_items=tuple(item(a) for a in result.action_items),
        follow_ups=tuple(item(f) for f in result.follow_ups),
        entities=tuple(EntityView(e.kind, str(e.value), e.text) for e in result.entities),
        topics=tuple(t.text for t in result.topics),
        summary=tuple(Item(tuple(s.message_ids), s.text) for s in result.summary),
    )


def from_wire(answers: dict[str, Any], local_ids: dict[str, str]) -> Prediction:
    """`answers`: endpoint name -> its JSON; `local_ids`: served message id -> scorer message id."""

    def ids(values: list[str]) -> tuple[str, ...]:
        return tuple(local_ids[i] for i in values if i in local_ids)

    def item(value: dict[str, Any], rephrased: dict[str, str]) -> Item:
        message_ids = value.get("messageIds") or [ref["id"] for ref in value.get("messageRefs", [])]
        return Item(
            message_ids=ids(message_ids),
            text=value["text"],
            assignee=_person_name(value.get("assignee")),
            due_by=value.get("dueBy"),
            rephrased=rephrased.get(value["id"], value["text"]),
        )

    comprehensive = {a["id"]: a["text"] for a in answers["comprehensive"]["actionItems"]}
    return Prediction(
        questions=tuple(item(q, {}) for q in answers["questions"]["questions"]),
        action_items=tuple(item(a, comprehensive) for a in answers["action-items"]["actionItems"]),
        follow_ups=tuple(item(f, {}) for f in answers["follow-ups"]["followUps"]),
        entities=tuple(
            EntityView(e["type"], str(e.get("value", "")), e["text"]) for e in answers["entities"]["entities"]
        ),
        topics=tuple(t["text"] for t in answers["topics"]["topics"]),
        summary=tuple(
            Item(ids([ref["id"] for ref in s["messageRefs"]]), s["text"])
            for s in answers["summary"]["summary"]
        ),
    )
