"""Trackers (§5.17): where a tracker's vocabulary is said exactly or meant.

An exact match is the phrase as whole words, case-insensitively, with its character offset. A
semantic match is a message whose embedding is close to the phrase's (offset -1). `insightRefs`
point to the questions, action items and follow-ups made from the matched messages.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np

from convoscope.pipeline.insights.options import TrackerSpec
from convoscope.pipeline.insights.parsed import ParsedConversation, stable_id

# MiniLM cosine between a message and a short phrase: "How much does it cost?" ~ "What is the price" 0.70.
SEMANTIC_SIMILARITY = 0.5


def _insight_refs(insights: list[dict[str, Any]], message_ids: set[str], offsets: dict[str, int]) -> list:
    return [
        {
            "id": item["id"],
            "text": item["text"],
            "offset": offsets.get(item["messageIds"][0], -1),
            "type": item["type"],
        }
        for item in insights
        if message_ids & set(item["messageIds"])
    ]


def detect_trackers(
    conversation: ParsedConversation, trackers: tuple[TrackerSpec, ...], insights: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """One entry per tracker that matched anything, in request order."""
    messages = conversation.messages
    if not trackers or not messages:
        return []
    phrases = list(dict.fromkeys(p for t in trackers for p in t.vocabulary if p.strip()))
    phrase_vectors = dict(zip(phrases, conversation.models.embed(phrases), strict=True))
    detected = []
    for tracker in trackers:
        matches = []
        for phrase in dict.fromkeys(tracker.vocabulary):
            if not phrase.strip():
                continue
            pattern = re.compile(rf"(?<!\w){re.escape(phrase.strip())}(?!\w)", re.IGNORECASE)
            similarities: np.ndarray = conversation.message_vectors @ phrase_vectors[phrase]
            refs = []
            offsets: dict[str, int] = {}
            for message, similarity in zip(messages, similarities, strict=True):
                exact = pattern.search(message.text)
                if exact is None and similarity < SEMANTIC_SIMILARITY:
                    continue
                offset = exact.start() if exact else -1
                offsets[message.id] = offset
                refs.append({"id": message.id, "text": message.text, "offset": offset})
            if refs:
                matches.append(
                    {
                        "type": "vocabulary",
                        "value": phrase,
                        "messageRefs": refs,
                        "insightRefs": _insight_refs(insights, set(offsets), offsets),
                    }
                )
        if matches:
            tracker_id = stable_id(conversation.transcript.conversation_id, "tracker", tracker.name)
            detected.append({"id": tracker_id, "name": tracker.name, "matches": matches})
    return detected
