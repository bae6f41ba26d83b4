"""Action phrases: the verb phrase that says what is to be done ("go over the interview questions").

Used on action items (`phrases`) and, when a job asks for `detectPhrases`, on every message: a
message's phrases are the action phrases of its commitments, else the verb phrase of its main verb
when that verb has an object.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from convoscope.pipeline.insights.commitments import find_commitment

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

    from convoscope.pipeline.insights.parsed import ParsedConversation


@dataclass(frozen=True)
class MessagePhrases:
    """The action phrases of one message (none is a valid answer)."""

    message_id: str
    phrases: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {"message_id": self.message_id, "phrases": list(self.phrases)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> MessagePhrases:
        return cls(data["message_id"], tuple(data["phrases"]))


# Children that belong to what is done; adverbials of time and manner are left out.
PHRASE_DEPENDENCIES = frozenset({"prt", "dobj", "dative", "prep", "xcomp", "acomp", "attr", "oprd", "ccomp"})
LIGHT_VERBS = frozenset({"be", "have", "do", "get", "let", "make"})
PARTICLES = frozenset({"back", "up", "out", "in", "over", "through", "together", "forward", "around"})
MAX_PHRASE_TOKENS = 14


def _is_time_token(token: Token) -> bool:
    return token.ent_type_ in {"DATE", "TIME"}


def action_phrase_tokens(verb: Token, span: Span) -> list[Token]:
    """The tokens from the action verb to the end of its complements, dates left out."""
    included = {verb.i}
    for child in verb.children:
        particle = child.dep_ == "advmod" and child.lower_ in PARTICLES  # "get back to you"
        if child.i < verb.i or (child.dep_ not in PHRASE_DEPENDENCIES and not particle):
            continue
        subtree = list(child.subtree)
        # "by Friday", "on Monday": a preposition whose object is a date is when, not what.
        if child.dep_ == "prep" and any(_is_time_token(t) for t in subtree):
            continue
        included.update(t.i for t in subtree)
    end = verb.i
    while end + 1 in included and end + 1 < span.end:
        token = span.doc[end + 1]
        if _is_time_token(token) or end + 1 - verb.i >= MAX_PHRASE_TOKENS:
            break
        end += 1
    tokens = list(span.doc[verb.i : end + 1])
    while len(tokens) > 1 and (tokens[-1].is_punct or tokens[-1].dep_ in {"cc", "mark"}):
        tokens = tokens[:-1]
    return tokens


def action_phrase(verb: Token, span: Span) -> str | None:
    """The contiguous phrase from the action verb to the end of its complements."""
    tokens = action_phrase_tokens(verb, span)
    text = "".join(t.text_with_ws for t in tokens).strip()
    return text if len(tokens) > 1 else None


def _main_verb_phrase(span: Span) -> str | None:
    root = span.root
    if root.pos_ != "VERB" or root.lemma_ in LIGHT_VERBS:
        return None
    if not any(child.dep_ in {"dobj", "prt"} for child in root.children):
        return None
    return action_phrase(root, span)


def message_phrases(conversation: ParsedConversation) -> tuple[MessagePhrases, ...]:
    """`detectPhrases`: the phrases of every message, in message order."""
    phrases: dict[str, list[str]] = {m.id: [] for m in conversation.messages}
    for sentence in conversation.sentences:
        commitment = find_commitment(sentence.span)
        text = (
            action_phrase(commitment.verb, sentence.span) if commitment else _main_verb_phrase(sentence.span)
        )
        if text:
            phrases[sentence.message.id].append(text)
    return tuple(MessagePhrases(message_id, tuple(found)) for message_id, found in phrases.items())
