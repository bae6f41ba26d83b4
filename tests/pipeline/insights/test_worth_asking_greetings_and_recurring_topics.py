"""Kinds of error of the eleventh round (from `test10`): "it's worth asking them" as advice (not "it's
worth noting"); complaints with "Why does every..."; a greeting of one member; times offered only where
a time is what is asked about ("Is the meeting room free on Thursday?" asks about a room); key phrases
named by a season or a frequency, and contact details that are no topic."""

from __future__ import annotations

import pytest

from convoscope.pipeline.insights.keyphrases import candidates
from convoscope.pipeline.nlp import LanguageModels
from tests.fixtures.insights import kinds_of, parsed


@pytest.mark.parametrize(
    "advice",
    ["Some banks refund the fee, so it's worth asking them.", "It's worth ringing the bank about it."],
)
def test_it_is_worth_doing_is_advice_that_is_a_task(models: LanguageModels, advice: str) -> None:
    lines = [("Paula", "The transfer cost me £25."), ("Imran", advice), ("Paula", "Good idea.")]
    assert "action_item" in kinds_of(models, lines, advice)


def test_it_is_worth_noting_is_no_task(models: LanguageModels) -> None:
    remark = "It's worth noting the fee went up in March."
    lines = [("Paula", "The transfer cost me £25."), ("Imran", remark), ("Paula", "Typical.")]
    assert "action_item" not in kinds_of(models, lines, remark)


@pytest.mark.parametrize(
    "sentence",
    [
        "Why does every courier turn up while I'm on the phone?",
        "Why is nothing ever where it's supposed to be in this cupboard?",
    ],
)
def test_why_does_every_is_a_complaint(models: LanguageModels, sentence: str) -> None:
    lines = [("Maya", "The parcel came at lunch again."), ("Maya", sentence), ("Tom", "Ha, every time.")]
    assert "question" not in kinds_of(models, lines, sentence)


def test_a_greeting_to_one_member_then_a_question_is_small_talk(models: LanguageModels) -> None:
    greeting = "Morning, Delia, how was the christening?"
    lines = [
        ("Owen", greeting),
        ("Delia", "Lovely, thanks, the baby slept through."),
        ("Owen", "Right, rotas."),
    ]
    assert "question" not in kinds_of(models, lines, greeting)


@pytest.mark.parametrize(
    "question",
    ["Is the meeting room free on Thursday?", "What about the car park resurfacing on Friday?"],
)
def test_asking_about_a_thing_on_a_day_offers_no_time(models: LanguageModels, question: str) -> None:
    lines = [("Gail", "The auditors come next week."), ("Gail", question), ("Ravi", "I'll check.")]
    kinds = kinds_of(models, lines, question)
    assert "question" in kinds
    assert "follow_up" not in kinds


@pytest.mark.parametrize("offer", ["How about Thursday at 2 p.m.?", "Is Friday at 10 a.m. any good?"])
def test_time_offers_still_read(models: LanguageModels, offer: str) -> None:
    lines = [("Gail", "We should go through the audit file."), ("Gail", offer), ("Ravi", "Works for me.")]
    assert "follow_up" in kinds_of(models, lines, offer)


def test_seasons_and_frequencies_name_key_phrases_and_contact_details_do_not(
    models: LanguageModels,
) -> None:
    conversation = parsed(
        models,
        [
            ("Kay", "The winter timetable starts soon, and the monthly report is late."),
            ("Lee", "Can I take your phone number and your date of birth?"),
            ("Kay", "Sure, and my postcode is LS6 2QT."),
        ],
    )
    keys = {c.key for c in candidates(conversation)}
    assert {"winter timetable", "monthly report"} <= keys
    assert not keys & {"phone number", "date of birth", "ls6 2qt"}
