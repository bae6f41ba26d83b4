"""Summary: a few sentences a person would write after the conversation.

Who talked about what ("Helen, Marcus, Priya and George discussed quarterly revenue, the hiring
plan and the European expansion."), what was decided ("Helen decided to go ahead with Lisbon."), who
will do what (the action items as notes, grouped by person: "Marcus will model the Lisbon costs by
May 15 and include a currency scenario."), and, when there is room, a question left open. Three to
six sentences; each points to the messages it comes from. No language model: the sentences are
built from the topics, the decisions said (`decisions`) and the action items' notes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from convoscope.pipeline.insights.action_items import ActionItem
from convoscope.pipeline.insights.decisions import detect_decisions
from convoscope.pipeline.insights.parsed import ParsedConversation, conversation_members, stable_id
from convoscope.pipeline.insights.questions import Question
from convoscope.pipeline.insights.rephrase import first_name
from convoscope.pipeline.insights.topics import Topic


@dataclass(frozen=True)
class SummarySentence:
    """One sentence of the summary and the messages it comes from."""

    id: str
    text: str
    message_ids: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "text": self.text, "message_ids": list(self.message_ids)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SummarySentence:
        return cls(data["id"], data["text"], tuple(data["message_ids"]))


MAX_SENTENCES = 6
POINTS_BACK = re.compile(r"^\S+ will \w+(?: \w+)? (?:it|that|this|them|one)(?: \w+)?\.$")
NOT_A_NOTE = re.compile(r"^\S+:")  # "Maya: It would help if...": kept as said, not summarised


def _names(people: Sequence[str]) -> str:
    if len(people) <= 1:
        return "".join(people)
    if len(people) > 4:
        return f"{', '.join(people[:3])} and {len(people) - 3} others"
    return f"{', '.join(people[:-1])} and {people[-1]}"


def _speakers(conversation: ParsedConversation) -> list[str]:
    spoken = []
    for message in conversation.messages:
        if message.speaker is not None and first_name(message.speaker.name) not in spoken:
            spoken.append(first_name(message.speaker.name))
    return spoken or [first_name(m.name) for m in conversation_members(conversation.transcript)]


def _overview(
    conversation: ParsedConversation, topics: Sequence[Topic]
) -> tuple[str, tuple[str, ...]] | None:
    main = [t for t in topics if t.parent is None][:3] or list(topics[:3])
    if not main:
        return None
    speakers = _speakers(conversation)
    about = _names([t.text for t in main])
    text = f"{_names(speakers)} discussed {about}." if speakers else f"The conversation was about {about}."
    return text, tuple(t.message_ids[0] for t in main if t.message_ids)


def _tasks(action_items: Sequence[ActionItem], room: int) -> list[tuple[str, tuple[str, ...]]]:
    """One sentence per person with action items (their two firmest), the busiest people first."""
    by_person: dict[str, list[ActionItem]] = {}
    for item in action_items:
        if item.rephrased and item.assignee is not None and not NOT_A_NOTE.match(item.rephrased):
            by_person.setdefault(first_name(item.assignee.name), []).append(item)
    ranked = sorted(by_person.items(), key=lambda pair: (-len(pair[1]), -max(i.score for i in pair[1])))
    sentences = []
    for name, items in ranked[:room]:
        # A note that only points back ("and send it") says little next to the one it points to.
        chosen = sorted(
            items,
            key=lambda i: (POINTS_BACK.search(i.rephrased or "") is not None, not i.definitive, -i.score),
        )[:2]
        if len(chosen) == 2 and POINTS_BACK.search(chosen[1].rephrased or ""):
            chosen = chosen[:1]
        chosen.sort(key=lambda i: action_items.index(i))
        notes = [(i.rephrased or "").rstrip(".") for i in chosen]
        prefix = f"{name} will "
        parts = [notes[0], *(n[len(prefix) :] if n.startswith(prefix) else n for n in notes[1:])]
        sentences.append((" and ".join(parts) + ".", tuple(m for i in chosen for m in i.message_ids)))
    return sentences


def detect_summary(
    conversation: ParsedConversation,
    topics: Sequence[Topic],
    action_items: Sequence[ActionItem],
    questions: Sequence[Question],
) -> list[SummarySentence]:
    """Three to six sentences (fewer for a very short conversation), in the order written above."""
    if len(conversation.messages) < 3:
        return []
    parts: list[tuple[str, tuple[str, ...]]] = []
    overview = _overview(conversation, topics)
    if overview:
        parts.append(overview)
    parts += detect_decisions(conversation, limit=2)
    parts += _tasks(action_items, MAX_SENTENCES - len(parts) - 1)
    if len(parts) < 3 and questions:
        open_question = max(questions, key=lambda q: q.score)
        asker = f"{first_name(open_question.speaker.name)} asked" if open_question.speaker else "It was asked"
        parts.append((f"{asker}: \u201c{open_question.text}\u201d", open_question.message_ids))
    conversation_id = conversation.transcript.conversation_id
    return [
        SummarySentence(id=stable_id(conversation_id, "summary", text), text=text, message_ids=ids)
        for text, ids in parts[:MAX_SENTENCES]
    ]
