"""Summary: a few extractive sentences, chosen for how central they are to the conversation.

A sentence's centrality is its mean embedding similarity to every other sentence (a one-step
LexRank); sentences that carry an action item weigh a little more because people want the
decisions in a summary. Redundant picks are avoided, the chosen sentences keep conversation order,
and a first-person commitment names its speaker ("I'll send it" -> "Dana will send it").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import numpy as np

from convoscope.pipeline.insights.grammar import words
from convoscope.pipeline.insights.parsed import ParsedConversation, ParsedSentence, stable_id


@dataclass(frozen=True)
class SummarySentence:
    """One sentence of the extractive summary and the message it comes from."""

    id: str
    text: str
    message_ids: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "text": self.text, "message_ids": list(self.message_ids)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SummarySentence:
        return cls(data["id"], data["text"], tuple(data["message_ids"]))


MIN_WORDS = 6
REDUNDANT_SIMILARITY = 0.75
ACTION_BONUS = 0.08
FIRST_PERSON_FUTURE = re.compile(
    r"^(?:(?:so|and|then|okay|ok|yes|yeah|sure|alright|great)[,.]? )?"
    r"(?:i'll|i will|i'm going to|i am going to)\s",
    re.IGNORECASE,
)


def _third_person(sentence: ParsedSentence) -> str:
    text = sentence.text.strip()
    speaker = sentence.message.speaker
    match = FIRST_PERSON_FUTURE.match(text)
    if speaker is None or match is None:
        return text
    verb_phrase = "is going to" if "going" in match.group().lower() else "will"
    return f"{speaker.name} {verb_phrase} {text[match.end() :]}"


def summary_length(sentence_count: int) -> int:
    return max(1, min(6, sentence_count // 8))


def detect_summary(conversation: ParsedConversation, action_message_ids: set[str]) -> list[SummarySentence]:
    candidates = [
        s
        for s in conversation.sentences
        if len(words(s.span)) >= MIN_WORDS and not s.text.strip().endswith("?")
    ]
    if not candidates:
        return []
    vectors = np.stack([s.vector for s in candidates])
    similarity = vectors @ vectors.T
    centrality = (similarity.sum(axis=1) - 1.0) / max(len(candidates) - 1, 1)
    bonus = np.array([ACTION_BONUS if s.message.id in action_message_ids else 0.0 for s in candidates])
    order = np.argsort(-(centrality + bonus))
    chosen: list[int] = []
    for index in order:
        if len(chosen) == summary_length(len(conversation.sentences)):
            break
        if all(similarity[index, j] < REDUNDANT_SIMILARITY for j in chosen):
            chosen.append(int(index))
    conversation_id = conversation.transcript.conversation_id
    return [
        SummarySentence(
            id=stable_id(conversation_id, "summary", candidates[i].text),
            text=_third_person(candidates[i]),
            message_ids=(candidates[i].message.id,),
        )
        for i in sorted(chosen)
    ]
