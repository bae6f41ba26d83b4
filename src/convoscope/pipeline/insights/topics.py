"""Topics: the key phrases of a conversation ("refund policy", "server migration plan"), ranked,
kept diverse, and grouped into a hierarchy.

Candidates come from `keyphrases`. Each is ranked by how close its MiniLM embedding sits to the
conversation's centre, how often it and its head noun are said, and whether it is a phrase rather
than a single noun. A maximal-marginal-relevance pass keeps the list from repeating itself; near
repeats ("policy" after "refund policy") are merged into the topic chosen first. A topic becomes the
child (`parent`) of a higher-ranked one that it resembles or is discussed alongside (within a few
messages). Abstract topics name each parent group with the single noun closest to the group.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from convoscope.pipeline.insights.keyphrases import Candidate, candidates
from convoscope.pipeline.insights.organizations import organization_names
from convoscope.pipeline.insights.parsed import ParsedConversation, rounded, stable_id
from convoscope.pipeline.insights.sentiment import Sentiment, mean_sentiment

MAX_CANDIDATES = 120  # embedding the candidates is most of the topic time
PARENT_SIMILARITY = 0.42  # MiniLM cosine between short phrases: related topics sit around 0.45-0.6
PARENT_RELATEDNESS = 0.45
MMR_DIVERSITY = 0.1
NEAR_DUPLICATE = 0.82  # cosine above which two phrases name the same thing
TOPIC_EVERY = 5  # one topic per five sentences, 3 to 10 (chosen on train + dev topic labels)
CONTEXT_WINDOW = 2  # messages either side in which two topics count as discussed together
# Centrality, how often it is said, how often its head noun is said, phrase rather than one noun,
# brought up as a subject ("Next, the pricing page."), how often its words are said, asked about,
# put first as an agenda item ("Spill kits, ...": often said once, then talked about as "they").
RELEVANCE_WEIGHTS = (0.25, 0.1, 0.15, 0.5, 0.1, 0.3, 0.15, 0.1)
# A phrase that carries an organisation's or a place's name ("Stourvale Orchestra reserve", "Canal
# Street") is said because of the name, which is an entity; what was discussed ranks first.
NAMED_PENALTY = 0.3


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


def _relevance(conversation: ParsedConversation, pool: list[Candidate], vectors: np.ndarray) -> np.ndarray:
    """How much each candidate is what the conversation is about: close to the conversation's centre
    (the phrases' embeddings weighted by how often each is said), said often, its head noun said
    often, a phrase of two or three words rather than one noun, and an agenda item put first."""
    counts = np.array([len(c.message_ids) for c in pool], dtype=np.float32)
    centroid = (np.log1p(counts)[:, None] * vectors).sum(axis=0)
    centroid /= np.linalg.norm(centroid) or 1.0
    centrality = np.clip(vectors @ centroid, 0.0, None)
    heads: dict[str, set[str]] = defaultdict(set)
    for candidate in pool:
        heads[candidate.key.split()[-1]].update(candidate.message_ids)
    head_counts = np.array([len(heads[c.key.split()[-1]]) for c in pool], dtype=np.float32)
    said_words: dict[str, int] = defaultdict(int)
    for doc in conversation.docs:
        for lemma in {t.lemma_.lower() for t in doc if t.pos_ in {"NOUN", "PROPN", "ADJ", "VERB"}}:
            said_words[lemma] += 1
    support = np.array(
        [np.mean([np.log1p(said_words[w]) for w in c.key.split()]) for c in pool], dtype=np.float32
    )
    phrase = np.array([1.0 if c.words > 1 else 0.0 for c in pool], dtype=np.float32)
    introduced = np.array([1.0 if c.introduced else 0.0 for c in pool], dtype=np.float32)
    asked = np.array([1.0 if c.asked_about else 0.0 for c in pool], dtype=np.float32)
    fronted = np.array([1.0 if c.fronted else 0.0 for c in pool], dtype=np.float32)
    centre, said, head, words, brought_up, word_support, asked_about, agenda_item = RELEVANCE_WEIGHTS
    return (
        centre * centrality
        + said * np.log1p(counts) / np.log1p(max(counts.max(), 2.0))
        + head * np.log1p(head_counts) / np.log1p(max(head_counts.max(), 2.0))
        + words * phrase
        + brought_up * introduced
        + word_support * support / max(float(support.max()), 1e-9)
        + asked_about * asked
        + agenda_item * fronted
    )


def _named(pool: list[Candidate], organizations: set[str]) -> np.ndarray:
    """1 for a phrase that names a place or holds an organisation's name, else 0."""
    return np.array(
        [
            1.0
            if c.names_a_place or any(f" {name} " in f" {c.text.lower()} " for name in organizations)
            else 0.0
            for c in pool
        ],
        dtype=np.float32,
    )


def _discussed_together(conversation: ParsedConversation, pool: list[Candidate]) -> np.ndarray:
    """For two candidates, the share of the rarer one's mentions that come within a few messages of
    the other's: a subtopic is talked about in the stretch where its parent is."""
    row_of = {m.id: i for i, m in enumerate(conversation.messages)}
    windows = [
        {row_of[m] + d for m in c.message_ids for d in range(-CONTEXT_WINDOW, CONTEXT_WINDOW + 1)}
        for c in pool
    ]
    rows = [{row_of[m] for m in c.message_ids} for c in pool]
    together = np.zeros((len(pool), len(pool)), dtype=np.float32)
    for i in range(len(pool)):
        for j in range(len(pool)):
            if i != j:
                together[i, j] = len(rows[i] & windows[j]) / max(len(rows[i]), 1)
    return np.minimum(together, together.T)


def _same_words(a: Candidate, b: Candidate) -> bool:
    """ "refund policy" and "policy", or "payment service" and "payment service migration"."""
    first, second = set(a.key.split()), set(b.key.split())
    return first <= second or second <= first


def _choose(pool: list[Candidate], relevance: np.ndarray, similarity: np.ndarray, count: int) -> list[int]:
    """Relevant and diverse (maximal marginal relevance); a near repeat of a chosen phrase is merged
    into it (its messages join the chosen one's), and a longer phrase said as often replaces it."""
    chosen: list[int] = []
    remaining = list(range(len(pool)))
    while remaining and len(chosen) < count:

        def gain(i: int) -> float:
            redundancy = max((float(similarity[i, j]) for j in chosen), default=0.0)
            return float((1 - MMR_DIVERSITY) * relevance[i] - MMR_DIVERSITY * redundancy)

        best = max(remaining, key=gain)
        remaining.remove(best)
        repeat = next(
            (j for j in chosen if _same_words(pool[best], pool[j]) or similarity[best, j] >= NEAR_DUPLICATE),
            None,
        )
        if repeat is None:
            chosen.append(best)
            continue
        kept, merged = pool[repeat], pool[best]
        if merged.words > kept.words and len(merged.message_ids) >= max(2, len(kept.message_ids) // 2):
            chosen[chosen.index(repeat)] = best
            kept, merged = merged, kept
        kept.message_ids.extend(m for m in merged.message_ids if m not in kept.message_ids)
    return chosen


def detect_topics(
    conversation: ParsedConversation,
    sentiments: Mapping[str, Sentiment],
    organizations: Mapping[str, str] | None = None,
) -> tuple[list[Topic], list[AbstractTopic]]:
    """(topics, abstract topics) with raw scores; `sentiments` by message id; `organizations`: the
    conversation's `organization_names`, when they were found already."""
    # A company named ("Holloway Hotel", "Citizens Advice") is an entity, not what was discussed.
    if organizations is None:
        organizations = organization_names(conversation)
    names = {name.lower().removeprefix("the ") for name in organizations}
    found = [c for c in candidates(conversation) if c.text.lower().removeprefix("the ") not in names]
    if not found:
        return [], []
    pool = sorted(found, key=lambda c: (-len(c.message_ids), -c.words, c.key))[:MAX_CANDIDATES]
    vectors = conversation.embed([c.text for c in pool])
    relevance = _relevance(conversation, pool, vectors) - NAMED_PENALTY * _named(pool, names)
    similarity = vectors @ vectors.T
    count = max(3, min(10, round(len(conversation.messages) / TOPIC_EVERY)))
    chosen = _choose(pool, relevance, similarity, count)
    related = np.maximum(similarity, 0.5 * similarity + 0.5 * _discussed_together(conversation, pool))
    best = float(max(relevance[i] for i in chosen)) or 1.0
    order = {m.id: i for i, m in enumerate(conversation.messages)}

    conversation_id = conversation.transcript.conversation_id
    topics: list[Topic] = []
    parent_of: dict[int, int] = {}
    for rank, index in enumerate(chosen):
        parents = [j for j in chosen[:rank] if j not in parent_of]
        closest = max(parents, key=lambda j: related[index, j], default=None)
        if closest is not None and related[index, closest] >= PARENT_RELATEDNESS:
            parent_of[index] = closest
        candidate = pool[index]
        message_ids = sorted(candidate.message_ids, key=order.__getitem__)
        score = 0.3 + 0.65 * float(relevance[index]) / best + (0.05 if len(message_ids) > 1 else 0.0)
        topics.append(
            Topic(
                id=stable_id(conversation_id, "topic", candidate.text),
                text=candidate.text,
                score=rounded(min(1.0, score)),
                message_ids=tuple(message_ids),
                sentiment=mean_sentiment(sentiments, message_ids),
                parent=pool[parent_of[index]].text if index in parent_of else None,
            )
        )
    return topics, _abstract_topics(conversation, pool, vectors, chosen, parent_of, topics)


def _abstract_topics(
    conversation: ParsedConversation,
    candidates: list[Candidate],
    vectors: np.ndarray,
    chosen: list[int],
    parent_of: dict[int, int],
    topics: list[Topic],
) -> list[AbstractTopic]:
    groups: dict[int, list[int]] = defaultdict(list)
    for position, index in enumerate(chosen):
        groups[parent_of.get(index, index)].append(position)
    # An abstract topic is a single noun that keeps coming up and sits close to the group.
    recurring_nouns = [i for i, c in enumerate(candidates) if c.words == 1 and len(c.message_ids) >= 2]
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
