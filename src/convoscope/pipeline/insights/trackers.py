"""Trackers: where a tracker's vocabulary is said exactly or meant.

An exact match is the phrase as whole words, case-insensitively, with its character offset. A
semantic match is a message whose embedding is close to the phrase's (no offset). Each match also
points to the questions, action items and follow-ups made from the matched messages.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal, Protocol

import numpy as np

from convoscope.pipeline.insights.options import TrackerSpec
from convoscope.pipeline.insights.parsed import ParsedConversation, stable_id
from convoscope.pipeline.insights.refs import MessageRef

# MiniLM cosine between a message and a short phrase: "How much does it cost?" ~ "What is the price" 0.70.
SEMANTIC_SIMILARITY = 0.5

InsightKind = Literal["question", "action_item", "follow_up"]


class Insight(Protocol):
    """What a tracker needs of a question, action item or follow-up."""

    @property
    def id(self) -> str: ...
    @property
    def text(self) -> str: ...
    @property
    def message_ids(self) -> tuple[str, ...]: ...


@dataclass(frozen=True)
class InsightRef:
    """A question, action item or follow-up made from a matched message."""

    insight_id: str
    kind: InsightKind
    text: str
    offset: int | None  # where the phrase is said in the insight's message; None when it is meant

    def to_json(self) -> dict[str, Any]:
        return {"insight_id": self.insight_id, "kind": self.kind, "text": self.text, "offset": self.offset}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> InsightRef:
        return cls(data["insight_id"], data["kind"], data["text"], data["offset"])


@dataclass(frozen=True)
class TrackerMatch:
    """One phrase of a tracker's vocabulary and where it was said or meant."""

    phrase: str
    mentions: tuple[MessageRef, ...]
    insights: tuple[InsightRef, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "phrase": self.phrase,
            "mentions": [mention.to_json() for mention in self.mentions],
            "insights": [insight.to_json() for insight in self.insights],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> TrackerMatch:
        return cls(
            phrase=data["phrase"],
            mentions=tuple(MessageRef.from_json(mention) for mention in data["mentions"]),
            insights=tuple(InsightRef.from_json(insight) for insight in data["insights"]),
        )


@dataclass(frozen=True)
class DetectedTracker:
    """A tracker that matched something, with a match per phrase that did."""

    id: str
    name: str
    matches: tuple[TrackerMatch, ...]

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "matches": [match.to_json() for match in self.matches]}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> DetectedTracker:
        return cls(
            data["id"], data["name"], tuple(TrackerMatch.from_json(match) for match in data["matches"])
        )


def _insight_refs(
    insights: Sequence[tuple[InsightKind, Insight]], offsets: dict[str, int | None]
) -> tuple[InsightRef, ...]:
    return tuple(
        InsightRef(item.id, kind, item.text, offsets.get(item.message_ids[0]))
        for kind, item in insights
        if set(offsets) & set(item.message_ids)
    )


def detect_trackers(
    conversation: ParsedConversation,
    trackers: tuple[TrackerSpec, ...],
    insights: Sequence[tuple[InsightKind, Insight]],
) -> list[DetectedTracker]:
    """One entry per tracker that matched anything, in request order."""
    messages = conversation.messages
    if not trackers or not messages:
        return []
    phrases = list(dict.fromkeys(p for t in trackers for p in t.vocabulary if p.strip()))
    phrase_vectors = dict(zip(phrases, conversation.models.embed(phrases), strict=True))
    message_vectors = conversation.message_vectors()
    detected = []
    for tracker in trackers:
        matches = []
        for phrase in dict.fromkeys(tracker.vocabulary):
            if not phrase.strip():
                continue
            pattern = re.compile(rf"(?<!\w){re.escape(phrase.strip())}(?!\w)", re.IGNORECASE)
            similarities: np.ndarray = message_vectors @ phrase_vectors[phrase]
            mentions = []
            offsets: dict[str, int | None] = {}
            for message, similarity in zip(messages, similarities, strict=True):
                exact = pattern.search(message.text)
                if exact is None and similarity < SEMANTIC_SIMILARITY:
                    continue
                offset = exact.start() if exact else None
                offsets[message.id] = offset
                mentions.append(MessageRef(message.id, message.text, offset))
            if mentions:
                matches.append(TrackerMatch(phrase, tuple(mentions), _insight_refs(insights, offsets)))
        if matches:
            tracker_id = stable_id(conversation.transcript.conversation_id, "tracker", tracker.name)
            detected.append(DetectedTracker(tracker_id, tracker.name, tuple(matches)))
    return detected
