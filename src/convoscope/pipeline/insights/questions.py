"""Questions: genuine information-seeking questions, with or without a question mark.

What a sentence is comes from `utterances`: the utterance classifier over the sentence's form,
wording, neighbours and embedding, with a few unambiguous wordings settled by rule. Tag questions,
rhetorical questions, polite formulas ("Can I jump in on pricing?"), small talk, requests for action
("Could you send the client the slides?", an action item) and suggestions ("Why don't we...") are
not questions. The score is how sure the classifier is that the sentence is a question rather than
its next likeliest reading (`classifier.Reading.confidence`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from convoscope.pipeline.insights.parsed import InsightIds, ParsedConversation, rounded
from convoscope.pipeline.insights.refs import Person, person_from_json, person_json, person_of
from convoscope.pipeline.insights.utterances import Utterance


@dataclass(frozen=True)
class Question:
    """A question asked in the conversation."""

    id: str
    text: str
    score: float  # confidence in [0, 1], four decimals
    message_ids: tuple[str, ...]
    speaker: Person | None  # who asked it; None when its message has no speaker

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "text": self.text,
            "score": self.score,
            "message_ids": list(self.message_ids),
            "speaker": person_json(self.speaker),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Question:
        return cls(
            id=data["id"],
            text=data["text"],
            score=data["score"],
            message_ids=tuple(data["message_ids"]),
            speaker=person_from_json(data["speaker"]),
        )


def detect_questions(conversation: ParsedConversation, utterances: list[Utterance]) -> list[Question]:
    """Every sentence judged a question, scored by the classifier (the caller applies the threshold)."""
    ids = InsightIds(conversation.transcript.conversation_id)
    found = []
    for utterance in utterances:
        if utterance.reading.kind != "question":
            continue
        sentence = utterance.facts.sentence
        text = sentence.text.strip()
        found.append(
            Question(
                id=ids.make("question", text),
                text=text,
                score=rounded(min(0.999, utterance.reading.confidence("question"))),
                message_ids=(sentence.message.id,),
                speaker=person_of(sentence.message.speaker),
            )
        )
    return found
