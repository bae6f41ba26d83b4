"""Topics: key noun phrases ranked by embedding centrality, grouped into a hierarchy.

Candidates are the conversation's noun chunks without determiners, pronouns, dates and filler
nouns. Each is ranked by the cosine between its MiniLM embedding and the conversation's centroid,
plus how often it comes up; a maximal-marginal-relevance pass keeps the list from repeating itself.
A topic whose embedding is close to a higher-ranked topic becomes that topic's child (its `parent`).
Abstract topics name each parent group with the single noun closest to the group's centroid.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from convoscope.pipeline.insights.grammar import word_set
from convoscope.pipeline.insights.parsed import ParsedConversation, conversation_members, rounded, stable_id
from convoscope.pipeline.insights.sentiment import Sentiment, mean_sentiment

FILLER_NOUNS = word_set(
    """thing things lot lots bit kind sort way ways stuff guy guys people person time times today day days
    week weeks month year years minute minutes second seconds hour hours question questions answer point
    idea ideas something anything everything nothing everyone someone anyone one ones yes no yeah okay
    hello hi thanks thank morning afternoon evening tonight tomorrow yesterday part end number case fact
    moment sense sure problem issue issues name call meeting example place word words side area plan plans
    team work job update step details option options note start meantime"""
)
# People are who talks, not what is talked about; numbers and dates are details.
SKIPPED_ENTITY_TYPES = frozenset(
    {"PERSON", "DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY"}
)
MAX_CANDIDATES = 80  # embedding candidates is most of the topic time
PARENT_SIMILARITY = 0.42  # MiniLM cosine between short phrases: related topics sit around 0.45-0.6
MMR_DIVERSITY = 0.3


@dataclass(frozen=True)
class Topic:
    """A key phrase of the conversation, the messages that mention it, and its place in the hierarchy."""

    id: str
    text: str
    score: float  # in [0, 1], four decimals
    message_ids: tuple[str, ...]
    sentiment: Sentiment  # the mean over its messages
    parent: str | None = None  # the text of the higher-ranked topic it belongs under

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "text": self.text,
            "score": self.score,
            "message_ids": list(self.message_ids),
            "sentiment": self.sentiment.to_json(),
            "parent": self.parent,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Topic:
        return cls(
            id=data["id"],
            text=data["text"],
            score=data["score"],
            message_ids=tuple(data["message_ids"]),
            sentiment=Sentiment.from_json(data["sentiment"]),
            parent=data.get("parent"),
        )


@dataclass(frozen=True)
class AbstractTopic:
    """One word for a group of related topics."""

    id: str
    text: str
    score: float  # the best score in its group
    message_ids: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "text": self.text, "score": self.score, "message_ids": list(self.message_ids)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> AbstractTopic:
        return cls(data["id"], data["text"], data["score"], tuple(data["message_ids"]))


@dataclass
class _Candidate:
    text: str
    mentions: int = 0
    message_ids: list[str] = field(default_factory=list)


def _candidates(conversation: ParsedConversation) -> list[_Candidate]:
    member_names = {
        part.lower() for m in conversation_members(conversation.transcript) for part in m.name.split()
    }
    by_key: dict[str, _Candidate] = {}
    for message, doc in zip(conversation.messages, conversation.docs, strict=True):
        for chunk in doc.noun_chunks:
            tokens = [t for t in chunk if not (t.is_stop or t.is_punct or t.pos_ in {"DET", "PRON", "NUM"})]
            if not tokens or any(
                t.ent_type_ in SKIPPED_ENTITY_TYPES or t.lower_ in member_names for t in tokens
            ):
                continue
            tokens = tokens[-3:]
            head = tokens[-1]
            if head.pos_ not in {"NOUN", "PROPN"} or (
                len(tokens) == 1 and head.lemma_.lower() in FILLER_NOUNS
            ):
                continue
            if head.lemma_.lower() in FILLER_NOUNS and all(t.pos_ == "ADJ" for t in tokens[:-1]):
                continue
            key = " ".join(t.lemma_.lower() for t in tokens)
            text = " ".join(t.text if t.pos_ == "PROPN" else t.text.lower() for t in tokens)
            candidate = by_key.setdefault(key, _Candidate(text))
            candidate.mentions += 1
            if message.id not in candidate.message_ids:
                candidate.message_ids.append(message.id)
    ranked = sorted(by_key.values(), key=lambda c: -c.mentions)
    return ranked[:MAX_CANDIDATES]


def _relatedness(
    conversation: ParsedConversation, candidates: list[_Candidate], similarity: np.ndarray
) -> np.ndarray:
    """How related two topics are: their phrases' similarity, or that of the talk around them.

    Topics picked for diversity rarely resemble each other as phrases, but a subtopic is discussed
    in the same stretch of conversation as its parent ("interns" under "company-wise hiring").
    """
    row_of = {m.id: i for i, m in enumerate(conversation.messages)}
    last = len(conversation.messages) - 1
    contexts = []
    for candidate in candidates:
        rows = {
            r
            for m in candidate.message_ids
            for r in (row_of[m] - 1, row_of[m], row_of[m] + 1)
            if 0 <= r <= last
        }
        context = conversation.message_vectors[sorted(rows)].mean(axis=0)
        contexts.append(context / (np.linalg.norm(context) or 1.0))
    context_vectors = np.stack(contexts)
    return np.maximum(similarity, 0.5 * similarity + 0.5 * (context_vectors @ context_vectors.T))


def _select(relevance: np.ndarray, similarity: np.ndarray, count: int) -> list[int]:
    """Maximal marginal relevance: relevant, but not a near-repeat of what is already chosen."""
    chosen: list[int] = []
    remaining = list(range(len(relevance)))
    while remaining and len(chosen) < count:

        def gain(i: int) -> float:
            redundancy = max((similarity[i, j] for j in chosen), default=0.0)
            return float((1 - MMR_DIVERSITY) * relevance[i] - MMR_DIVERSITY * redundancy)

        best = max(remaining, key=gain)
        chosen.append(best)
        remaining.remove(best)
    return chosen


def detect_topics(
    conversation: ParsedConversation, sentiments: Mapping[str, Sentiment]
) -> tuple[list[Topic], list[AbstractTopic]]:
    """(topics, abstract topics) with raw scores; `sentiments` by message id."""
    candidates = _candidates(conversation)
    if not candidates or len(conversation.message_vectors) == 0:
        return [], []
    vectors = conversation.models.embed([c.text for c in candidates])
    centroid = conversation.message_vectors.mean(axis=0)
    centroid /= np.linalg.norm(centroid) or 1.0
    centrality = np.clip(vectors @ centroid, 0.0, None)
    frequency = np.array([math.log1p(c.mentions) for c in candidates])
    relevance = 0.7 * centrality + 0.3 * frequency / max(frequency.max(), 1e-9) * centrality.max()
    similarity = vectors @ vectors.T
    related = _relatedness(conversation, candidates, similarity)
    count = max(3, min(10, round(len(conversation.messages) / 5)))
    chosen = _select(relevance, similarity, count)
    best = float(relevance[chosen[0]]) or 1.0

    conversation_id = conversation.transcript.conversation_id
    topics: list[Topic] = []
    parent_of: dict[int, int] = {}
    for rank, index in enumerate(chosen):
        parents = [j for j in chosen[:rank] if j not in parent_of]
        closest = max(parents, key=lambda j: related[index, j], default=None)
        if closest is not None and related[index, closest] >= PARENT_SIMILARITY:
            parent_of[index] = closest
        candidate = candidates[index]
        score = (
            0.3 + 0.65 * float(relevance[index]) / best + (0.05 if len(candidate.message_ids) > 1 else 0.0)
        )
        topics.append(
            Topic(
                id=stable_id(conversation_id, "topic", candidate.text),
                text=candidate.text,
                score=rounded(min(1.0, score)),
                message_ids=tuple(candidate.message_ids),
                sentiment=mean_sentiment(sentiments, candidate.message_ids),
                parent=candidates[parent_of[index]].text if index in parent_of else None,
            )
        )
    return topics, _abstract_topics(conversation, candidates, vectors, chosen, parent_of, topics)


def _abstract_topics(
    conversation: ParsedConversation,
    candidates: list[_Candidate],
    vectors: np.ndarray,
    chosen: list[int],
    parent_of: dict[int, int],
    topics: list[Topic],
) -> list[AbstractTopic]:
    groups: dict[int, list[int]] = defaultdict(list)
    for position, index in enumerate(chosen):
        groups[parent_of.get(index, index)].append(position)
    # An abstract topic is a single noun that keeps coming up and sits close to the group.
    recurring_nouns = [i for i, c in enumerate(candidates) if " " not in c.text and c.mentions >= 2]
    abstract: list[AbstractTopic] = []
    used: set[str] = set()
    for parent, members in groups.items():
        group_vector = vectors[[chosen[p] for p in members]].mean(axis=0)
        pool = [i for i in recurring_nouns if candidates[i].text not in used]
        best = max(pool, key=lambda i: float(vectors[i] @ group_vector), default=None)
        if best is None or float(vectors[best] @ group_vector) < PARENT_SIMILARITY:
            best = parent
        label = candidates[best].text
        if label in used:
            continue
        used.add(label)
        message_ids = tuple(dict.fromkeys(m for p in members for m in topics[p].message_ids))
        abstract.append(
            AbstractTopic(
                id=stable_id(conversation.transcript.conversation_id, "abstract_topic", label),
                text=label,
                score=max(topics[p].score for p in members),
                message_ids=message_ids,
            )
        )
    return abstract
