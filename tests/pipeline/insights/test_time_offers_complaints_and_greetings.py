"""Kinds of error of the ninth round: times offered as "shall we say 7 in the evening?", "could it be the
28th?" or "..., would that work?"; complaints with "even", "these days" and "would it kill"; a question
right after greeting the meeting; an offer to send something asked as "Can I email it to you?"; a fact
checked with "is that right?"; "write back", "pass on" and "put her in touch" as getting in touch; and
more company words at a name's end ("Odyssey Coaches"); a made-up name asking a price ("Agromaq quoted
€2,800") is a company."""

from __future__ import annotations

import pytest

from convoscope.pipeline.nlp import LanguageModels
from tests.fixtures.insights import kinds_of, organizations_of

OPENING = ("Maya", "Okay, next item.")
REPLY = ("Tom", "Okay.")


@pytest.mark.parametrize(
    "sentence",
    [
        "Friday suits me, shall we say 4 in the afternoon?",
        "Could it be the 14th, in the morning?",
        "I can book the van for Tuesday at 8 a.m., would that work?",
    ],
)
def test_times_offered_are_follow_ups(models: LanguageModels, sentence: str) -> None:
    lines = [("Tom", "When can you come round to look at it?"), ("Maya", sentence), REPLY]
    assert kinds_of(models, lines, sentence) == {"action_item", "follow_up"}


@pytest.mark.parametrize(
    "sentence",
    [
        "Would it kill the council to answer an email?",
        "Where do you even buy a fax machine these days?",
        "Why is parking so hard to find these days?",
        "Morning, everyone, did the boats survive the gale?",
        "Afternoon, all, how are the new boots holding up?",
    ],
)
def test_complaints_and_greetings_are_not_questions(models: LanguageModels, sentence: str) -> None:
    assert "question" not in kinds_of(models, [OPENING, ("Maya", sentence), REPLY], sentence)


@pytest.mark.parametrize(
    "sentence", ["Can I email it to you?", "So that's the blue van on the 3rd, is that right?"]
)
def test_offers_to_send_and_checks_are_questions(models: LanguageModels, sentence: str) -> None:
    lines = [("Tom", "I've got the form here somewhere."), ("Maya", sentence), REPLY]
    assert kinds_of(models, lines, sentence) == {"question"}


@pytest.mark.parametrize(
    "sentence",
    [
        "Sure, I'll pass on your number tonight.",
        "Could you put her in touch with me this week?",
        "I'll write back to them this morning.",
    ],
)
def test_more_ways_of_getting_in_touch(models: LanguageModels, sentence: str) -> None:
    lines = [("Tom", "The supplier asked about the order."), ("Maya", sentence), REPLY]
    assert kinds_of(models, lines, sentence) == {"action_item", "follow_up"}


def test_a_company_word_at_the_end_of_a_name(models: LanguageModels) -> None:
    organizations = organizations_of(
        models,
        [
            ("Fiona", "The transfers are the last thing."),
            ("Tariq", "We booked the airport run with Marram Coaches and the boat trip too."),
        ],
    )
    assert "Marram Coaches" in organizations
