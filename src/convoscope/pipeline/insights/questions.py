"""Questions: genuine information-seeking questions, with or without a question mark.

A sentence is a candidate when it is interrogative in form (wh-word or subject-auxiliary
inversion), an embedded question ("I was wondering whether..."), or a declarative that ends in
"?". Tag questions, rhetorical formulas, requests for action ("Can you send me...", which are
action items) and suggestions ("Why don't we...") are not questions. The score starts from how
clearly the form marks a question and moves with the sentence's embedding affinity to labelled
questions versus hard negatives.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from convoscope.pipeline.insights import examples
from convoscope.pipeline.insights.grammar import (
    INFORMATION_VERBS,
    TAG_ENDING,
    is_interrogative_form,
    opening_text,
    opening_tokens,
    word_set,
    words,
)
from convoscope.pipeline.insights.parsed import InsightIds, ParsedConversation, ParsedSentence, rounded
from convoscope.pipeline.insights.refs import Person, person_from_json, person_json, person_of


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


RHETORICAL = re.compile(
    r"^(?:who knows|who cares|what can i say|what else is new|why not|guess what|can you believe|"
    r"you know what|what's not to (?:like|love)|who would(?: have|'ve) (?:thought|guessed)|"
    r"how (?:hard|difficult) can it be|what could (?:possibly )?go wrong|(?:are|were) you (?:kidding|joking)|"
    r"who (?:doesn't|does not|wouldn't|would not|isn't) (?:love|like|want|enjoy)|"
    r"how (?:cool|great|awesome|amazing|nice|crazy|weird|funny|sweet|lucky|bad|good) "
    r"(?:is|was) (?:that|this)|"
    r"(?:isn't|wasn't|aren't) (?:that|this|it) (?:just )?(?:great|amazing|awesome|cool|nice|crazy|funny|"
    r"wonderful|fantastic|incredible|ironic|terrible|awful|insane|wild))\b",
    re.IGNORECASE,
)

SUGGESTION = re.compile(
    r"^(?:why don't (?:we|you|i)|how about (?:we|you|i)\b|what if (?:we|you|i)\b)", re.IGNORECASE
)

EMBEDDED_QUESTION = re.compile(
    r"\b(?:i (?:was|am|'m) wondering|i wonder|i'd (?:like|love) to know|i want to know|"
    r"i'm curious (?:about|what|how|whether|if|why|when)|any idea (?:what|how|when|where|who|why|whether|if)|"
    r"tell me (?:what|how|when|where|who|why|whether|if|more|about))\b",
    re.IGNORECASE,
)

REQUEST_MODALS = word_set("can could would will")
OFFER_VERBS = word_set("like want need prefer")  # "Would you like a demo?" asks; "Would you mind..." requests

MIN_WORDS = 3


def _is_action_request(sentence: ParsedSentence) -> bool:
    """ "Could you send me the logs?": a request for action, which the action items report."""
    tokens = opening_tokens(sentence.span, 4)
    if len(tokens) < 3 or tokens[0].lower_ not in REQUEST_MODALS or tokens[1].lower_ != "you":
        return False
    verb = next((t for t in tokens[2:] if t.pos_ == "VERB"), None)
    if verb is None:
        return False
    return verb.lemma_.lower() not in INFORMATION_VERBS | OFFER_VERBS


def _form_score(sentence: ParsedSentence) -> float | None:
    """How clearly the wording marks a question, or None when it is not a genuine question."""
    text = sentence.text.strip()
    opening = opening_text(sentence.span)
    has_mark = text.endswith("?")
    if len(words(sentence.span)) < MIN_WORDS:
        return None
    # A rhetorical formula may follow a remark: "Lisbon sounds lovely, who wouldn't want that?"
    clauses = [opening, *(part.strip() for part in opening.split(",")[1:])]
    if any(RHETORICAL.match(c) for c in clauses) or SUGGESTION.match(opening) or _is_action_request(sentence):
        return None
    interrogative = is_interrogative_form(sentence.span)
    if has_mark and TAG_ENDING.search(text) and not interrogative:
        return None
    if interrogative:
        return 0.93 if has_mark else 0.8
    if EMBEDDED_QUESTION.search(text):
        return 0.8
    if has_mark:
        return 0.62  # a declarative said with rising intonation: "So the price stays the same?"
    return None


def question_score(conversation: ParsedConversation, sentence: ParsedSentence) -> float | None:
    form = _form_score(sentence)
    if form is None:
        return None
    leaning = examples.affinity(conversation.models, sentence.vector, "question", "not_question")
    return min(0.999, max(0.01, form + 0.6 * leaning))


def detect_questions(conversation: ParsedConversation) -> list[Question]:
    """Every question with its raw score (the caller applies the confidence threshold)."""
    ids = InsightIds(conversation.transcript.conversation_id)
    found = []
    for sentence in conversation.sentences:
        score = question_score(conversation, sentence)
        if score is None:
            continue
        text = sentence.text.strip()
        found.append(
            Question(
                id=ids.make("question", text),
                text=text,
                score=rounded(score),
                message_ids=(sentence.message.id,),
                speaker=person_of(sentence.message.speaker),
            )
        )
    return found
