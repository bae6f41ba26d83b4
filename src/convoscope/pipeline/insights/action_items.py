"""Action items and follow-ups: commitments and requests for future action.

Each sentence whose parse reads as a commitment or request (see `commitments`) becomes an action
item unless it is a politeness formula or an in-the-moment act ("let me share my screen"). The score
starts from how firm the frame is ("I'll" > "I can" > "I want to") and moves with the sentence's
embedding affinity to labelled action items versus hard negatives. Follow-ups are the action items
whose action is contacting someone: call, email, send, schedule, meet, get back, check in...
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from convoscope.pipeline.insights import dates, examples
from convoscope.pipeline.insights.commitments import Commitment, find_commitment
from convoscope.pipeline.insights.grammar import (
    INFORMATION_VERBS,
    WH_WORDS,
    is_interrogative_form,
    opening_text,
    vocative_name,
    word_set,
)
from convoscope.pipeline.insights.options import InsightOptions
from convoscope.pipeline.insights.parsed import (
    InsightIds,
    ParsedConversation,
    ParsedSentence,
    conversation_members,
    find_member,
    rounded,
)
from convoscope.pipeline.insights.phrases import action_phrase
from convoscope.pipeline.insights.refs import Person, person_from_json, person_json, person_of
from convoscope.pipeline.types import Speaker

if TYPE_CHECKING:
    from spacy.tokens import Span, Token


@dataclass(frozen=True)
class ItemEntity:
    """A person or a date named in an action item, at a character offset in the item's text."""

    kind: str  # "person", "date" or "time"
    text: str
    offset: int
    day: date | None = None  # a date or time: the local day it resolves to, when it does
    is_assignee: bool = False  # a person: the one the item is assigned to

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "text": self.text,
            "offset": self.offset,
            "day": self.day.isoformat() if self.day else None,
            "is_assignee": self.is_assignee,
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
        )


POLITENESS = re.compile(
    r"^(?:let me know if (?:you|there)|feel free|don't hesitate|have a (?:great|good|nice|lovely)|"
    r"thanks|thank you|talk (?:to you )?(?:soon|then|later)|take care|see you|enjoy|keep up the|"
    r"bear with me|got it|will do|"
    r"hang on|hold on|give me a (?:second|sec|moment|minute)|nice to|good to|let me know what you think)",
    re.IGNORECASE,
)
# Acts done right now, in the conversation, rather than later.
IN_THE_MOMENT = re.compile(
    r"^(?:let me (?:just |quickly )?(?:see|think|explain|ask|start|begin|introduce|show|share my screen|"
    r"pull|bring|repeat|clarify|summarize|recap|jump|walk you|tell you|give you|read|try|be honest|"
    r"put it|go back|add (?:one|something))|"
    r"i(?:'ll| will) (?:be honest|tell you|give you an example|start with|stop (?:sharing|there))|"
    r"(?:now |so |first,? )?let's (?:start|begin|get started|kick off|dive|jump|move on|recap|wrap|"
    r"go around|do the|talk about|look at|take a look|turn to|go through)|"
    r"we(?:'ll| will) (?:talk about|start with|go through|cover|look at))",
    re.IGNORECASE,
)
FRAME_SCORES = {
    "future": 0.88,
    "obligation": 0.82,
    "let": 0.8,
    "request": 0.82,
    "imperative": 0.78,
    "ability": 0.68,
    "desire": 0.64,
}
FIRM_FRAMES = frozenset({"future", "obligation", "let", "request", "imperative"})

FOLLOW_UP_VERBS = word_set(
    """call phone ring email e-mail mail text ping message send forward schedule reschedule book meet
    contact reply respond invite connect sync share circulate ask introduce"""
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
}
MEETING_NOUNS = word_set(
    "call meeting appointment demo sync chat session follow-up catch-up invite conversation time email"
)


def _is_contact_verb(verb: Token) -> bool:
    """Does this verb mean getting in touch with someone: call, email, send, meet, get back...?"""
    lemma = verb.lemma_.lower()
    if lemma in FOLLOW_UP_VERBS:
        return True
    following = verb.doc[verb.i + 1 : verb.i + 4]
    if FOLLOW_UP_PARTICLES.get(lemma) in {t.lower_ for t in following}:
        return True
    if lemma == "know" and verb.head.lemma_ == "let":  # "let me know by Friday"
        return True
    # "talk to the recruiters", "get the copy to Raj": speaking or handing something to a person.
    prepositions = [c for c in verb.children if c.dep_ in {"prep", "dative"} and c.lower_ in {"to", "with"}]
    if lemma in {"talk", "speak"} and prepositions:
        return True
    people = [p for c in prepositions for p in c.children if p.pos_ in {"PROPN", "PRON"}]
    if lemma in {"get", "bring", "hand", "give"} and people:
        return True
    objects = [c for c in verb.children if c.dep_ == "dobj"]
    objects += [conj for o in objects for conj in o.conjuncts]
    return any(t.lemma_.lower() in MEETING_NOUNS for t in objects)


def is_follow_up(commitment: Commitment) -> bool:
    """A follow-up is an action item whose action (or a coordinated one) is contacting someone."""
    return any(_is_contact_verb(verb) for verb in (commitment.verb, *commitment.verb.conjuncts))


def _addressee(conversation: ParsedConversation, sentence: ParsedSentence) -> Speaker | None:
    """Whom a "you" or an imperative is said to: the other one of two members, else who answers."""
    speaker = sentence.message.speaker
    others = [
        m for m in conversation_members(conversation.transcript) if speaker is None or m.id != speaker.id
    ]
    if len(others) == 1:
        return others[0]
    messages = conversation.messages
    index = sentence.message_index
    around = [*messages[index + 1 : index + 4], *reversed(messages[max(0, index - 3) : index])]
    for message in around:
        if message.speaker is not None and (speaker is None or message.speaker.id != speaker.id):
            return message.speaker
    return None


def _assignee(
    conversation: ParsedConversation, sentence: ParsedSentence, commitment: Commitment
) -> Person | None:
    members = conversation_members(conversation.transcript)
    speaker = sentence.message.speaker
    name: str | None = None
    if commitment.actor in {"speaker", "we"}:
        return person_of(speaker)
    if commitment.actor == "named" and commitment.actor_token is not None:
        token = commitment.actor_token
        name = str(token.doc[token.left_edge.i : token.i + 1].text)
    elif commitment.actor == "addressee":
        name = vocative_name(sentence.span)
        if name is None:
            return person_of(_addressee(conversation, sentence))
    if name is None:
        return None
    member = find_member(members, name)
    return Person.of(member) if member else Person(name)


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
        found.append(ItemEntity(mention.label, mention.text, mention.start - base, day=day))
    return tuple(sorted(found, key=lambda entity: entity.offset))


def _score(conversation: ParsedConversation, sentence: ParsedSentence, commitment: Commitment) -> float:
    score = FRAME_SCORES[commitment.frame]
    if commitment.actor in {"third", "someone"}:
        score -= 0.05
    if commitment.hedged:
        score -= 0.08
    score += 0.5 * examples.affinity(conversation.models, sentence.vector, "action", "not_action")
    return min(0.999, max(0.01, score))


def _after_today(due: datetime | None, reference_time: datetime, options: InsightOptions) -> bool:
    """Is the due moment on a later day? ("let me walk you through it today" is still in the moment)."""
    if due is None:
        return False
    offset = options.timezone_offset_minutes
    return dates.local_date(due, offset) > dates.local_date(reference_time, offset)


def _is_excluded(sentence: ParsedSentence, commitment: Commitment, due_later: bool) -> bool:
    opening = opening_text(sentence.span)
    clauses = [opening, *(part.strip() for part in opening.split(",")[1:])]
    if any(POLITENESS.match(c) or (IN_THE_MOMENT.match(c) and not due_later) for c in clauses):
        return True
    # "Can you tell me...", "Could you explain..." ask for information: they are questions.
    if commitment.frame in {"request", "imperative"} and commitment.verb.lemma_ in INFORMATION_VERBS:
        return True
    if opening.split(" ", 1)[0] in WH_WORDS:  # "When will you send it?", "Where I can go to..."
        return True
    # A genuine question about the future ("Will you be there?") is a question, not a request.
    return commitment.frame != "request" and is_interrogative_form(sentence.span)


def detect_action_items(
    conversation: ParsedConversation, options: InsightOptions
) -> tuple[list[ActionItem], list[ActionItem]]:
    """(action items, follow-ups), each with its raw score; follow-ups are also action items."""
    transcript = conversation.transcript
    action_items: list[ActionItem] = []
    follow_ups: list[ActionItem] = []
    ids = InsightIds(transcript.conversation_id)
    for sentence in conversation.sentences:
        commitment = find_commitment(sentence.span)
        if commitment is None:
            continue
        mentions = dates.find_dates(sentence.span, transcript.reference_time, options.timezone_offset_minutes)
        due = dates.due_moment(mentions, transcript.reference_time, options.timezone_offset_minutes)
        if _is_excluded(sentence, commitment, _after_today(due, transcript.reference_time, options)):
            continue
        text = sentence.text.strip()
        assignee = _assignee(conversation, sentence, commitment)
        phrase = action_phrase(commitment.verb, sentence.span)
        conditional = any(t.lower_ in {"if", "unless"} and t.dep_ == "mark" for t in sentence.span)
        item = ActionItem(
            id=ids.make("action_item", text),
            text=text,
            score=rounded(_score(conversation, sentence, commitment)),
            message_ids=(sentence.message.id,),
            speaker=person_of(sentence.message.speaker),
            entities=_entities(sentence.span, mentions, assignee.name if assignee else None, options),
            phrases=(phrase,) if phrase else (),
            definitive=commitment.frame in FIRM_FRAMES and not commitment.hedged and not conditional,
            assignee=assignee,
            due_by=due,
        )
        action_items.append(item)
        if is_follow_up(commitment):
            follow_ups.append(replace(item, id=ids.make("follow_up", text)))
    return action_items, follow_ups
