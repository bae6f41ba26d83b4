"""An action item said as a note: "Maya will send Tom the revised budget by Thursday".

From the sentence's commitment: the assignee's first name, "will", the action phrase with its verb in
the base form and the people in it named ("send me" said by Tom is "send Tom", "your deck" said to
Maya is "Maya's deck"), then the due date as said ("by Thursday"). An indirect request ("It would be
good if the deck covered the risks") becomes "Maya will make sure the deck covers the risks". When
the parse gives no phrase, the sentence is kept as said, after the assignee's name.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from convoscope.pipeline.insights.dates import DateMention
from convoscope.pipeline.insights.phrases import action_phrase_tokens
from convoscope.pipeline.insights.refs import Person
from convoscope.pipeline.types import Speaker

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

    from convoscope.pipeline.insights.commitments import Commitment

SEEING = frozenset({"see", "read", "review", "look", "hear"})
LIGHT_VERBS = frozenset({"do", "be", "have", "get", "make", "go", "try"})
DUE_PREPOSITIONS = frozenset(
    {"by", "before", "on", "until", "till", "after", "in", "within", "at", "for", "this"}
)


def first_name(name: str) -> str:
    return name.split()[0] if name.split() else name


def _possessive(name: str) -> str:
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def _present(verb: Token) -> str:
    """The verb for a singular subject in the present: "covered" -> "covers"."""
    lemma = verb.lemma_.lower()
    if lemma == "be":
        return "is"
    if lemma == "have":
        return "has"
    if lemma.endswith(("s", "sh", "ch", "x", "z", "o")):
        return lemma + "es"
    if lemma.endswith("y") and lemma[-2:-1] not in set("aeiou"):
        return lemma[:-1] + "ies"
    return lemma + "s"


def _word(token: Token, speaker: str | None, addressee: str | None, assignee: str) -> str:
    """A word of the phrase, with "me", "you" and their possessives turned into names."""
    lower = token.lower_
    if lower in {"me", "myself"} and speaker:
        return speaker if speaker != assignee else "themselves"
    if lower == "my" and speaker:
        return "their" if speaker == assignee else _possessive(speaker)
    if lower in {"you", "yourself"} and addressee and addressee != assignee:
        return addressee
    if lower == "you":  # the assignee is who was spoken to: "where you can show" -> "where they can show"
        return "they" if token.dep_ in {"nsubj", "nsubjpass"} else "them"
    if lower == "your":
        return "their" if addressee in {None, assignee} else _possessive(addressee)
    if lower == "us" and speaker:
        return speaker if speaker != assignee else "themselves"
    if lower == "our" and speaker:
        return "their" if speaker == assignee else _possessive(speaker)
    return token.text


def _words(tokens: list[Token], speaker: str | None, addressee: str | None, assignee: str) -> str:
    """The tokens as said (their own spacing: "they're", "flowers' greens"), people named."""
    return "".join(_word(t, speaker, addressee, assignee) + t.whitespace_ for t in tokens).strip()


def _due_words(span: Span, mentions: tuple[DateMention, ...], phrase_end: int) -> str:
    """The first future date as said, with the preposition before it ("by Thursday")."""
    for mention in mentions:
        if mention.moment is None or mention.start < span.start_char:
            continue
        tokens = [t for t in span if t.idx >= mention.start]
        if not tokens or tokens[0].i <= phrase_end:
            continue
        before = span.doc[tokens[0].i - 1] if tokens[0].i > span.start else None
        if before is not None and before.lower_ in DUE_PREPOSITIONS and before.lower_ != mention.text.lower():
            return f"{before.text} {mention.text}"
        return mention.text
    return ""


def rephrase(
    span: Span,
    commitment: Commitment | None,
    mentions: tuple[DateMention, ...],
    speaker: Speaker | None,
    addressee: Speaker | None,
    assignee: Person | None,
) -> str | None:
    """The action item as a note, or None when nobody is assigned."""
    if assignee is None:
        return None
    who = first_name(assignee.name)
    speaker_name = first_name(speaker.name) if speaker else None
    addressee_name = first_name(addressee.name) if addressee else None
    verb = commitment.verb if commitment else None
    if verb is not None and verb.lemma_ == "know" and verb.head.lemma_ == "let":
        verb = verb.head  # "let the analysts know": the telling, not the knowing
    tokens = action_phrase_tokens(verb, span) if verb is not None else []
    if len(tokens) == 1 and tokens[0].lemma_.lower() in LIGHT_VERBS:
        tokens = []  # "Please do.": no action to name
    if not tokens:
        text = span.text.strip().rstrip(".!?")
        return f"{who}: {text[:1].upper()}{text[1:]}."
    verb = tokens[0]
    words = _words(tokens[1:], speaker_name, addressee_name, who)
    due = _due_words(span, mentions, tokens[-1].i)
    if commitment is not None and commitment.frame == "indirect" and verb.lemma_ in SEEING and speaker_name:
        # "I'd love to see a draft before the review" (to Maya): Maya is to show the speaker a draft.
        body = " ".join(["show", speaker_name, words])
        return _sentence(who, body, due)
    if commitment is not None and commitment.frame == "indirect":
        subject = [t for t in verb.children if t.dep_ in {"nsubj", "nsubjpass"}]
        if subject:
            start = min(t.i for t in subject[0].subtree)
            said = _words(list(span.doc[start : verb.i]), speaker_name, addressee_name, who)
            body = " ".join(["make sure", said, _present(verb), words])
            return _sentence(who, body, due)
    return _sentence(who, " ".join([verb.lemma_.lower(), words]), due)


def _sentence(who: str, body: str, due: str) -> str:
    sentence = " ".join(part.strip() for part in (who, "will", body, due) if part.strip())
    return sentence.rstrip(".,;: ") + "."
