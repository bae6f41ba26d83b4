"""Kinds of error of the sixth round, through the real engine: offers asked as questions ("Would you
like a site visit?") are questions, not tasks; a caller's opening ("you got a minute?") and small
talk about a new van, the last biscuit or a party are not questions; "is that still Thursday?"
checks an arrangement rather than offering a time; advice put as a suggestion ("It might be worth
writing that up") is a task; booking a thing is a task, booking a meeting or a person and briefing
someone are getting in touch."""

from __future__ import annotations

import pytest

from convoscope.pipeline.nlp import LanguageModels
from tests.fixtures.insights import kinds_of

OPENING = ("Maya", "Okay, next item.")
REPLY = ("Tom", "Okay.")


def _kinds(models: LanguageModels, sentence: str) -> set[str]:
    return kinds_of(models, [OPENING, ("Maya", sentence), REPLY], sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "Would you like a tour of the kitchen before you sign?",
        "We also run a tasting evening on the ninth, would you like to come?",
        "Should I print the seating plan?",
        "And the recycling pickup, is that still Thursday?",
    ],
)
def test_offers_and_checks_of_an_arrangement_are_questions(models: LanguageModels, sentence: str) -> None:
    assert _kinds(models, sentence) == {"question"}


@pytest.mark.parametrize(
    "sentence",
    [
        "Hi Dana, it's Marek from Pinewood Supplies, you got a minute?",
        "Sure, what have you got?",
        "How's the new van treating you?",
        "Who ate the last of the biscuits?",
        "Is anyone going to the summer party?",
    ],
)
def test_call_openings_and_small_talk_are_not_questions(models: LanguageModels, sentence: str) -> None:
    assert "question" not in _kinds(models, sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "It might be worth writing a short guide for new starters.",
        "I'd strongly suggest a second quote before you commit.",
        "Please book two seats on the morning train.",
        "Can you book the pallet on Freightly so I can track it?",
    ],
)
def test_suggested_tasks_and_booking_a_thing_are_tasks(models: LanguageModels, sentence: str) -> None:
    assert _kinds(models, sentence) == {"action_item"}


@pytest.mark.parametrize(
    "sentence",
    [
        "I'll brief the night team before they start.",
        "Can you book a call with the supplier for Monday?",
        "I'll book you in for Tuesday.",
    ],
)
def test_briefing_someone_and_booking_a_meeting_are_follow_ups(models: LanguageModels, sentence: str) -> None:
    assert _kinds(models, sentence) == {"action_item", "follow_up"}
