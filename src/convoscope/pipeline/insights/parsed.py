"""A conversation parsed once (spaCy docs, sentence embeddings on demand), shared by every insight
module."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
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
    index: int  # position among the conversation's sentences
    span: Span
    offset: int  # character offset of the sentence inside the message text

    @property
    def text(self) -> str:
        return str(self.span.text)


@dataclass(frozen=True)
class ParsedConversation:
    """The parse of every message, and sentence embeddings made on demand.

    Embedding is most of the insights' time, and most sentences of a meeting need none ("Yeah.",
    "Sounds good."), so a text is embedded the first time some insight asks for it, in one batch
    with the other texts asked for together, and kept for the next one that asks.
    """

    transcript: Transcript
    docs: tuple[Doc, ...]  # one per message, same order
    sentences: tuple[ParsedSentence, ...]
    models: LanguageModels
    _vectors: dict[str, np.ndarray] = field(default_factory=dict, repr=False, compare=False)

    @property
    def messages(self) -> tuple[TranscriptMessage, ...]:
        return self.transcript.messages

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Unit-length MiniLM embeddings, one row per text (0 x 384 for none)."""
        missing = [text for text in dict.fromkeys(texts) if text not in self._vectors]
        if missing:
            self._vectors.update(zip(missing, self.models.embed(missing), strict=True))
        if not texts:
            return np.zeros((0, EMBEDDING_SIZE), np.float32)
        return np.stack([self._vectors[text] for text in texts])

    def message_vectors(self) -> np.ndarray:
        """One row per message: the embedding of its whole text."""
        return self.embed([message.text for message in self.messages])


EMBEDDING_SIZE = 384


def parse_conversation(transcript: Transcript, models: LanguageModels) -> ParsedConversation:
    """Run spaCy once over every message; embeddings come later, for the sentences that need them."""
    texts = [message.text for message in transcript.messages]
    docs = tuple(models.spacy().pipe(texts, batch_size=256))
    spans: list[tuple[int, Span]] = [
        (index, sentence) for index, doc in enumerate(docs) for sentence in doc.sents if sentence.text.strip()
    ]
    sentences = tuple(
        ParsedSentence(
            message=transcript.messages[index],
            message_index=index,
            index=position,
            span=span,
            offset=span.start_char,
        )
        for position, (index, span) in enumerate(spans)
    )
    return ParsedConversation(transcript, docs, sentences, models)


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
