"""Who is to act on an action item: the speaker, the person spoken to, or the person named.

"I'll send it" and "let's book it" are the speaker's; "can you send it", "send it", "you'll want to
re-run it" and "it would be good if the deck covered the risks" are the addressee's: the person named
at the start or end ("Dana, ..."), else the other member of a two-person call, else whoever speaks
next (the one who usually answers "sure, I'll do it"). "Maya will set up the call" is Maya's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from convoscope.pipeline.insights.commitments import Commitment
from convoscope.pipeline.insights.grammar import vocative_name
from convoscope.pipeline.insights.parsed import (
    ParsedConversation,
    ParsedSentence,
    conversation_members,
    find_member,
)
from convoscope.pipeline.insights.refs import Person, person_of
from convoscope.pipeline.types import Speaker

if TYPE_CHECKING:
    from spacy.tokens import Token


def addressee_of(conversation: ParsedConversation, sentence: ParsedSentence) -> Speaker | None:
    """Whom a sentence is said to: the other one of two members, else the next or previous speaker."""
    speaker = sentence.message.speaker
    others = [
        m for m in conversation_members(conversation.transcript) if speaker is None or m.id != speaker.id
    ]
    if len(others) == 1:
        return others[0]
    messages = conversation.messages
    index = sentence.message_index
    around = [*messages[index + 1 : index + 4], *reversed(messages[max(0, index - 3) : index])]
    for message in around:
        if message.speaker is not None and (speaker is None or message.speaker.id != speaker.id):
            return message.speaker
    return None


def _named(conversation: ParsedConversation, name: str) -> Person:
    member = find_member(conversation_members(conversation.transcript), name)
    return Person.of(member) if member else Person(name)


def _proper_name(token: Token) -> str:
    """The name a subject ends with: "Kyle" of "our inspector Kyle", "Maya Lopez" of "Maya Lopez"
    (the proper nouns just before it), or the whole phrase when it ends in no proper noun."""
    if token.pos_ != "PROPN":
        return str(token.doc[token.left_edge.i : token.i + 1].text)
    start = token.i
    while start > token.left_edge.i and token.doc[start - 1].pos_ == "PROPN":
        start -= 1
    return str(token.doc[start : token.i + 1].text)


def _actor_of_subject(sentence: ParsedSentence) -> str:
    """Who acts when the parse found no commitment: the addressee of a "you" or of a request put as
    a question about them, else the speaker ("We need a bigger room", "That needs to be fixed")."""
    subjects = [t for t in sentence.span if t.dep_ in {"nsubj", "nsubjpass"}]
    if subjects and subjects[0].lower_ == "you":
        return "addressee"
    if subjects and subjects[0].pos_ == "PROPN":
        return "named_subject"
    return "speaker"


def assignee_of(
    conversation: ParsedConversation, sentence: ParsedSentence, commitment: Commitment | None
) -> Person | None:
    """The person who is to act, or None when nobody can be told ("someone needs to...")."""
    actor = commitment.actor if commitment else _actor_of_subject(sentence)
    if actor in {"speaker", "we"}:
        return person_of(sentence.message.speaker)
    if actor == "named" and commitment is not None and commitment.actor_token is not None:
        return _named(conversation, _proper_name(commitment.actor_token))
    if actor == "named_subject":
        token = next(t for t in sentence.span if t.dep_ in {"nsubj", "nsubjpass"})
        return _named(conversation, _proper_name(token))
    if actor == "addressee":
        name = vocative_name(sentence.span)
        if name is not None:
            return _named(conversation, name)
        return person_of(addressee_of(conversation, sentence))
    return None
