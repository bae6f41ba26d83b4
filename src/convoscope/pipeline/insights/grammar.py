"""Small helpers over spaCy parses shared by the question and action-item rules."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Span, Token


def word_set(text: str) -> frozenset[str]:
    """A set of words written as one space-separated string (easier to read and edit than a list)."""
    return frozenset(text.split())


# "Can you tell me..." asks for information; "Can you send me..." asks for an action.
INFORMATION_VERBS = word_set(
    "tell explain describe clarify remind say repeat elaborate walk confirm recommend suggest think"
)


# Words that open spoken sentences without changing what kind of sentence follows.
DISCOURSE_WORDS = word_set(
    "so and but or okay ok well um uh oh hey alright right yeah yes no now also then actually "
    "sorry hi hello anyway anyways great cool sure perfect look listen basically honestly"
)

WH_WORDS = word_set("what when where who whom whose which why how")

INVERTING_AUXILIARIES = word_set(
    "do does did is are was were am can could will would should shall have has had may might must"
)

# "..., right?", "... isn't it?", "... you know?": a declarative that only asks for agreement.
TAG_ENDING = re.compile(
    r"(?:,|\s)\s*(?:right|correct|really|yeah|yes|no|ok|okay|huh|eh|you know|you see|agreed|"
    r"(?:is|are|was|were|do|does|did|have|has|had|can|could|will|wo|would|should|ai)n'?t\s+"
    r"(?:it|that|this|they|we|you|i|he|she|there)(?:\s+think)?)\s*\?+\s*$",
    re.IGNORECASE,
)


def words(span: Span) -> list[Token]:
    return [token for token in span if not token.is_punct and not token.is_space]


def clause_start(span: Span) -> int:
    """Index (into `span`) of the first token after openers: discourse words, fillers and vocatives."""
    tokens = list(span)
    index = 0
    while index < len(tokens):
        token = tokens[index]
        lower = token.lower_
        if token.is_punct or token.is_space or lower in DISCOURSE_WORDS:
            index += 1
            continue
        # "Dana, can you ..." / "Hey Dana, ..." : a name followed by a comma.
        next_index = index
        while next_index < len(tokens) and (
            tokens[next_index].pos_ == "PROPN" or _is_capitalised(tokens[next_index])
        ):
            next_index += 1
        if next_index > index and next_index < len(tokens) and tokens[next_index].text == ",":
            index = next_index + 1
            continue
        break
    return index


def _is_capitalised(token: Token) -> bool:
    """A name, or a capitalised noun the tagger did not see as one ("Victor, please start...")."""
    return token.pos_ == "PROPN" or (token.pos_ == "NOUN" and token.text[:1].isupper())


def opening_tokens(span: Span, count: int = 3) -> list[Token]:
    tokens = [token for token in list(span)[clause_start(span) :] if not token.is_punct]
    return tokens[:count]


def opening_text(span: Span) -> str:
    """The sentence text from its clause start, lower-cased ("So, Dana, can you..." -> "can you...")."""
    return str(span[clause_start(span) :].text).lower()


def vocative_name(span: Span) -> str | None:
    """The person addressed by name at the start ("Dana, ...") or the end ("..., Dana?")."""
    tokens = list(span)
    start = 0
    while start < len(tokens) and (tokens[start].lower_ in DISCOURSE_WORDS or tokens[start].is_punct):
        start += 1
    end = start
    while end < len(tokens) and tokens[end].pos_ == "PROPN":
        end += 1
    if end > start and end < len(tokens) and tokens[end].text == ",":
        return str(span[start:end].text)
    # Trailing vocative: ", Dana?" / ", Dana."
    end = len(tokens)
    while end > 0 and tokens[end - 1].is_punct:
        end -= 1
    start = end
    while start > 0 and tokens[start - 1].pos_ == "PROPN":
        start -= 1
    if start < end and start > 0 and tokens[start - 1].text == ",":
        return str(span[start:end].text)
    return None


def is_interrogative_form(span: Span) -> bool:
    """Wh-question or subject-auxiliary inversion ("Is there...", "Do you...", "What time works...").

    A short introductory phrase is looked past: "On Europe, where do we start?".
    """
    if _is_interrogative_opening(opening_tokens(span, 3)):
        return True
    comma = next((t.i for t in span[:6] if t.text == ","), None)
    if comma is None:
        return False
    rest = span.doc[comma + 1 : span.end]
    # Four words at least: "..., wasn't it?" is a tag, not a question of its own. Without a
    # question mark, "..., which is close to foil." is a relative clause.
    if len(words(rest)) < 4 or not _is_interrogative_opening(opening_tokens(rest, 3)):
        return False
    return span.text.rstrip().endswith("?") or opening_tokens(rest, 1)[0].lower_ not in WH_WORDS


def _is_interrogative_opening(tokens: list[Token]) -> bool:
    if not tokens:
        return False
    first = tokens[0]
    second = tokens[1] if len(tokens) > 1 else None
    if first.lower_ in WH_WORDS:
        # "What we need is time" is a statement: wh-word followed directly by a subject pronoun.
        return not (second is not None and second.pos_ == "PRON" and second.dep_.startswith("nsubj"))
    if first.lower_ in INVERTING_AUXILIARIES and second is not None:
        if second.lower_ == "n't" and len(tokens) > 2:  # "Isn't it...", "Don't you..."
            second = tokens[2]
        if first.lower_ in {"have", "has", "had"} and second.pos_ == "DET":
            return False  # "Have a good day"
        return second.pos_ in {"PRON", "PROPN", "NOUN", "DET", "NUM"} or second.lower_ == "there"
    return False
