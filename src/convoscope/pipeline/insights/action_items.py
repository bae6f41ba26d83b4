"""Action items and follow-ups: commitments and requests for future action.

What a sentence is comes from `utterances` (the utterance classifier, with a few wordings settled by
rule): commitments ("I'll send it"), requests, also as questions ("Could you send the client the
slides by Thursday?") or indirect ones ("I'd love to see a draft before the review"), and advice
that is a task ("you'll want to re-run the export"); not conditions, descriptions of how things work,
offers done on the spot, needs met in the call or pleasantries. Follow-ups are the action items whose
action is getting in touch with someone: call, email, send, schedule, meet, get back, check in...
The parse gives the assignee (`assignees`), the due date and the action phrase.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from convoscope.pipeline.insights import dates
from convoscope.pipeline.insights.assignees import addressee_of, assignee_of
from convoscope.pipeline.insights.options import InsightOptions
from convoscope.pipeline.insights.parsed import InsightIds, ParsedConversation, rounded
from convoscope.pipeline.insights.phrases import action_phrase
from convoscope.pipeline.insights.refs import Person, person_from_json, person_json, person_of
from convoscope.pipeline.insights.rephrase import rephrase
from convoscope.pipeline.insights.utterances import Utterance

if TYPE_CHECKING:
    from spacy.tokens import Span


@dataclass(frozen=True)
class ItemEntity:
    """A person, a date or a time named in an action item, at a character offset in the item's text."""

    kind: str  # "person", "date", "time" or "datetime"
    text: str
    offset: int
    day: date | None = None  # a date: the local day it resolves to, when it does
    is_assignee: bool = False  # a person: the one the item is assigned to
    clock: str | None = None  # a time or a datetime: the time of day, `HH:MM:SS`

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "text": self.text,
            "offset": self.offset,
            "day": self.day.isoformat() if self.day else None,
            "is_assignee": self.is_assignee,
            "clock": self.clock,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ItemEntity:
        day = data.get("day")
        return cls(
            kind=data["kind"],
            text=data["text"],
            offset=data["offset"],
            day=date.fromisoformat(day) if day else None,
            is_assignee=bool(data.get("is_assignee", False)),
            clock=data.get("clock"),
        )


@dataclass(frozen=True)
class ActionItem:
    """A commitment or request for future action. A follow-up is an action item too (its own id)."""

    id: str
    text: str
    score: float  # confidence in [0, 1], four decimals
    message_ids: tuple[str, ...]
    speaker: Person | None  # who said it
    entities: tuple[ItemEntity, ...]
    phrases: tuple[str, ...]  # the action phrase ("send the proposal to the client"), if any
    definitive: bool  # firmly said: not hedged, not conditional
    assignee: Person | None  # who is to act; None when nobody can be told
    due_by: datetime | None = None
    rephrased: str | None = None  # as a note: "Maya will send Tom the revised budget by Thursday."

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "text": self.text,
            "score": self.score,
            "message_ids": list(self.message_ids),
            "speaker": person_json(self.speaker),
            "entities": [entity.to_json() for entity in self.entities],
            "phrases": list(self.phrases),
            "definitive": self.definitive,
            "assignee": person_json(self.assignee),
            "due_by": self.due_by.isoformat() if self.due_by else None,
            "rephrased": self.rephrased,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ActionItem:
        due_by = data.get("due_by")
        return cls(
            id=data["id"],
            text=data["text"],
            score=data["score"],
            message_ids=tuple(data["message_ids"]),
            speaker=person_from_json(data["speaker"]),
            entities=tuple(ItemEntity.from_json(entity) for entity in data["entities"]),
            phrases=tuple(data["phrases"]),
            definitive=data["definitive"],
            assignee=person_from_json(data["assignee"]),
            due_by=datetime.fromisoformat(due_by) if due_by else None,
            rephrased=data.get("rephrased"),
        )


# Said firmly: not "I can...", "I'd like to...", "it would be good if...".
FIRM_FRAMES = frozenset({"future", "obligation", "let", "request", "imperative", "advice"})
HEDGED_CEILING = 0.95


def _entities(
    span: Span, mentions: list[dates.DateMention], assignee_name: str | None, options: InsightOptions
) -> tuple[ItemEntity, ...]:
    base = span.start_char + (len(span.text) - len(span.text.lstrip()))
    found = [
        ItemEntity(
            "person",
            ent.text,
            ent.start_char - base,
            is_assignee=bool(assignee_name and ent.text in assignee_name),
        )
        for ent in span.ents
        if ent.label_ == "PERSON"
    ]
    for mention in mentions:
        day = dates.local_day(mention.moment, options.timezone_offset_minutes) if mention.moment else None
        clock = mention.clock.isoformat() if mention.clock else None
        found.append(ItemEntity(mention.label, mention.text, mention.start - base, day=day, clock=clock))
    return tuple(sorted(found, key=lambda entity: entity.offset))


def detect_action_items(
    conversation: ParsedConversation, utterances: list[Utterance], options: InsightOptions
) -> tuple[list[ActionItem], list[ActionItem]]:
    """(action items, follow-ups), each with the classifier's score; follow-ups are also action items."""
    transcript = conversation.transcript
    action_items: list[ActionItem] = []
    follow_ups: list[ActionItem] = []
    ids = InsightIds(transcript.conversation_id)
    for utterance in utterances:
        kind = utterance.reading.kind
        if kind not in {"action_item", "follow_up"}:
            continue
        facts = utterance.facts
        sentence, commitment = facts.sentence, facts.commitment
        mentions = list(facts.mentions)
        text = sentence.text.strip()
        assignee = assignee_of(conversation, sentence, commitment)
        phrase = action_phrase(commitment.verb, sentence.span) if commitment else None
        conditional = any(t.lower_ in {"if", "unless"} and t.dep_ == "mark" for t in sentence.span)
        firm = commitment is not None and commitment.frame in FIRM_FRAMES and not commitment.hedged
        definitive = firm and not conditional
        # A hedged or conditional item ("I'll probably fix it") is never reported as near-certain.
        ceiling = 0.999 if definitive else HEDGED_CEILING
        item = ActionItem(
            id=ids.make("action_item", text),
            text=text,
            score=rounded(min(ceiling, utterance.reading.confidence("action_item"))),
            message_ids=(sentence.message.id,),
            speaker=person_of(sentence.message.speaker),
            entities=_entities(sentence.span, mentions, assignee.name if assignee else None, options),
            phrases=(phrase,) if phrase else (),
            definitive=definitive,
            assignee=assignee,
            due_by=dates.due_moment(mentions, transcript.reference_time, options.timezone_offset_minutes),
            rephrased=rephrase(
                sentence.span,
                commitment,
                facts.mentions,
                sentence.message.speaker,
                addressee_of(conversation, sentence),
                assignee,
            ),
        )
        action_items.append(item)
        if kind == "follow_up":
            follow_ups.append(replace(item, id=ids.make("follow_up", text)))
    return action_items, follow_ups
