"""A conversation parsed once (spaCy docs + sentence embeddings) and shared by every insight module."""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from convoscope.pipeline.nlp import LanguageModels
from convoscope.pipeline.types import Speaker, Transcript, TranscriptMessage

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span


@dataclass(frozen=True)
class ParsedSentence:
    """One sentence of a message (a stored message is usually exactly one sentence)."""

    message: TranscriptMessage
    message_index: int
    span: Span
    offset: int  # character offset of the sentence inside the message text
    vector: np.ndarray  # unit-length MiniLM embedding

    @property
    def text(self) -> str:
        return str(self.span.text)


@dataclass(frozen=True)
class ParsedConversation:
    transcript: Transcript
    docs: tuple[Doc, ...]  # one per message, same order
    sentences: tuple[ParsedSentence, ...]
    message_vectors: np.ndarray  # one unit-length row per message
    models: LanguageModels

    @property
    def messages(self) -> tuple[TranscriptMessage, ...]:
        return self.transcript.messages


def parse_conversation(transcript: Transcript, models: LanguageModels) -> ParsedConversation:
    """Run spaCy once over every message and embed every sentence and message in one batch."""
    texts = [message.text for message in transcript.messages]
    docs = tuple(models.spacy().pipe(texts, batch_size=64))
    spans: list[tuple[int, Span]] = [
        (index, sentence) for index, doc in enumerate(docs) for sentence in doc.sents if sentence.text.strip()
    ]
    # Most messages are single sentences: embed each distinct text once.
    unique_texts = list(dict.fromkeys([*texts, *(span.text for _, span in spans)]))
    vectors = models.embed(unique_texts)
    row_of = {text: row for row, text in enumerate(unique_texts)}
    sentences = tuple(
        ParsedSentence(
            message=transcript.messages[index],
            message_index=index,
            span=span,
            offset=span.start_char,
            vector=vectors[row_of[span.text]],
        )
        for index, span in spans
    )
    message_vectors = (
        np.stack([vectors[row_of[text]] for text in texts]) if texts else np.zeros((0, 384), np.float32)
    )
    return ParsedConversation(transcript, docs, sentences, message_vectors, models)


def stable_id(conversation_id: str, kind: str, text: str) -> str:
    """A 16-digit id that depends only on its inputs, so a re-run gives the same ids."""
    digest = hashlib.sha256(f"{conversation_id}\x1f{kind}\x1f{text}".encode()).hexdigest()
    return str(10**15 + int(digest[:15], 16) % (9 * 10**15))


class InsightIds:
    """Ids from conversation id + kind + text; a repeated text ("Sounds good?") gets a counter."""

    def __init__(self, conversation_id: str) -> None:
        self._conversation_id = conversation_id
        self._seen: Counter[tuple[str, str]] = Counter()

    def make(self, kind: str, text: str) -> str:
        occurrence = self._seen[(kind, text)]
        self._seen[(kind, text)] += 1
        return stable_id(self._conversation_id, kind, text if occurrence == 0 else f"{text}#{occurrence}")


def conversation_members(transcript: Transcript) -> tuple[Speaker, ...]:
    """The transcript's members, or the distinct message speakers when none are listed."""
    if transcript.members:
        return transcript.members
    seen: dict[str, Speaker] = {}
    for message in transcript.messages:
        if message.speaker is not None:
            seen.setdefault(message.speaker.id, message.speaker)
    return tuple(seen.values())


def find_member(members: tuple[Speaker, ...], name: str) -> Speaker | None:
    """The member a spoken name refers to: full name, else a unique first-name match."""
    wanted = name.strip().lower()
    for member in members:
        if member.name.lower() == wanted:
            return member
    first_name_hits = [m for m in members if m.name.lower().split()[:1] == wanted.split()[:1]]
    return first_name_hits[0] if len(first_name_hits) == 1 else None


def rounded(value: float) -> float:
    return round(float(value), 4)
