"""What the sentence embedder and its word-piece vocabulary know of a name.

The embedder places well-known places and companies near words for them, and first names near words
for people; its vocabulary holds English words whole and splits made-up names into pieces. Used by
`organizations` to weigh each name a conversation says.
"""

from __future__ import annotations

from collections.abc import Callable

from convoscope.pipeline.insights.parsed import ParsedConversation

# The sentence embedder knows well-known names: real places ("Lisbon", "Maple Avenue") sit at 0.4 and
# more from the first phrases, known companies ("Microsoft", "Shopify") at 0.35 and more from the
# second; made-up names ("Lumio", "Streamflix") at 0.15-0.33 from both.
PLACES = ("a city", "a country", "a town", "a street")
COMPANIES = ("a company", "a software product", "an app", "a brand", "a business", "a tech company")
# ... and first names ("Anjali", "Marcus") against the third: at 0.25 and more for nearly all the
# people this corpus names, under 0.2 for most made-up company and product names.
PEOPLE = ("a first name", "a person's name", "a man", "a woman")
NOT_A_PERSON = 0.24
LIKE_A_PERSON = 0.27
KNOWN_PLACE = 0.4
LIKELY_PLACE = 0.35
KNOWN_COMPANY = 0.35


def likeness(conversation: ParsedConversation, names: list[str]) -> list[tuple[float, float, float]]:
    """(how much like a place, a company, a person) each name is, to the sentence embedder."""
    if not names:
        return []
    similarity = conversation.embed(names) @ conversation.models.embed_fixed((*PLACES, *COMPANIES, *PEOPLE)).T
    companies_end = len(PLACES) + len(COMPANIES)
    return [
        (
            float(row[: len(PLACES)].max()),
            float(row[len(PLACES) : companies_end].max()),
            float(row[companies_end:].max()),
        )
        for row in similarity
    ]


def plain_word_name(written: str, lower_words: set[str]) -> bool:
    """ "Invoice terms, ...", "Fair point.": a common word capitalised at a sentence's start (the
    conversation says it in lower case too), or letters spelled out and short codes ("S M", "BSP")."""
    words = written.split()
    spelled = not any(sum(c.islower() for c in w) >= 2 for w in words)
    return spelled or all(w.lower() in lower_words for w in words)


def dictionary_words(conversation: ParsedConversation) -> Callable[[str], bool]:
    """Whether a one-word name is a whole word piece of the sentence embedder ("Code", "Revenue"): an
    English word, not a made-up name ("Truxly", "Holcim" are split into pieces). Names of two words and
    more are often plain words ("Citizens Advice", "Park Circus")."""
    vocabulary = conversation.models.vocabulary()
    return lambda name: " " not in name and name.lower() in vocabulary


def trade_name(written: str, vocabulary: Callable[[str], bool]) -> bool:
    """ "Skyward Drones", "Crispline Laundry", "Seacat Marine": a made-up word before an English one,
    how small firms are named ("Tom Baker", "Canal Street" and "Finance Team" are not: a first name,
    or English words only)."""
    words = written.split()
    return len(words) == 2 and not vocabulary(words[0]) and vocabulary(words[1].lower())
