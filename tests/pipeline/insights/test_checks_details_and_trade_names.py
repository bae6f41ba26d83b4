"""Kinds of error of the seventh round's blind split: asking for someone's details ("can I take your
name?") and checking what was just said ("..., is that a problem?", "So I need an adviser?") are
questions; complaints ("in the first place?", "How's she supposed to know...?"), a polite move ("Can
I come in on..."), treats in the office and an outing are not; advice with an adverb ("You might also
want to..."), a thing wanted by a day and "leave it with me" are tasks; writing to someone, a round of
calls and confirming something with someone are getting in touch, as is "Can you do Tuesday?"; a
report of what was just done and what the speaker sees are no tasks; and a made-up word before an
English one names a firm ("Quenby Drones"), and so do two names with a singular verb ("Wren and
Thistle has done")."""

from __future__ import annotations

import pytest

from convoscope.pipeline.nlp import LanguageModels
from tests.fixtures.insights import kinds_of, organizations_of

OPENING = ("Maya", "Okay, next item.")
REPLY = ("Tom", "Okay.")


@pytest.mark.parametrize(
    "sentence",
    [
        "Good morning, Harlow Insurance, Priya speaking, can I take your name please?",
        "Before we go on, can you confirm your date of birth for the security questions?",
        "I don't have a printer at home, is that a problem?",
        "We already have last year's floor plan, would that help?",
        "So I need a new meter as well?",
    ],
)
def test_asking_for_details_and_checking_what_was_said_are_questions(
    models: LanguageModels, sentence: str
) -> None:
    assert kinds_of(models, [OPENING, ("Maya", sentence), REPLY], sentence) == {"question"}


@pytest.mark.parametrize(
    "sentence",
    [
        "Who signed that contract off in the first place?",
        "Who reads the minutes, honestly?",
        "How's he supposed to know the routine if nobody shows him?",
        "Can I come in on the parking while we're on the budget?",
        "Who brought the doughnuts in?",
        "Did anyone else go to the concert on Saturday?",
    ],
)
def test_complaints_moves_and_small_talk_are_not_questions(models: LanguageModels, sentence: str) -> None:
    assert kinds_of(models, [OPENING, ("Maya", sentence), REPLY], sentence) == set()


@pytest.mark.parametrize(
    "sentence",
    [
        "You might also want to back up the old laptop before the engineer comes.",
        "I'd like a list of the broken chairs by Friday.",
    ],
)
def test_advice_and_a_thing_wanted_by_a_day_are_tasks(models: LanguageModels, sentence: str) -> None:
    assert kinds_of(models, [OPENING, ("Maya", sentence), REPLY], sentence) == {"action_item"}


@pytest.mark.parametrize(
    "sentence",
    [
        "I'll write to the parents this week.",
        "I'll do a round of calls on Monday.",
        "Could you confirm the delivery date with them this week?",
        "Can you do Tuesday or Wednesday?",
        "Yes, how about Friday at noon?",
    ],
)
def test_writing_calls_confirming_with_someone_and_times_offered_are_follow_ups(
    models: LanguageModels, sentence: str
) -> None:
    assert kinds_of(models, [OPENING, ("Maya", sentence), REPLY], sentence) == {"action_item", "follow_up"}


def test_leave_it_with_me_takes_on_a_request_to_get_in_touch(models: LanguageModels) -> None:
    lines = [
        ("Maya", "The caterers still think it's forty people."),
        ("Maya", "Tom, could you ring them and give them the new numbers?"),
        ("Tom", "Not at all, leave it with me."),
    ]
    assert kinds_of(models, lines, lines[2][1]) == {"action_item", "follow_up"}


@pytest.mark.parametrize(
    "sentence",
    [
        "Done, that's booked for Monday morning, the fitter will text you when he's on his way.",
        "Thanks, yes, I can see it, the policy from your old employer.",
    ],
)
def test_a_report_of_what_was_just_done_is_no_task(models: LanguageModels, sentence: str) -> None:
    lines = [("Tom", "Could you book the fitter for me?"), ("Maya", sentence), REPLY]
    assert kinds_of(models, lines, sentence) == set()


def test_a_made_up_word_before_an_english_one_names_a_firm(models: LanguageModels) -> None:
    found = organizations_of(
        models,
        [
            ("Eilidh", "Blade inspection next, the survey's due."),
            ("Sven", "Quenby Drones did the last one, and their report was really good."),
            ("Eilidh", "Tom Baker said he can check it before Monday."),
        ],
    )
    assert "Quenby Drones" in found
    assert "Tom Baker" not in found


def test_two_names_with_a_singular_verb_are_one_name(models: LanguageModels) -> None:
    found = organizations_of(
        models,
        [
            ("Harriet", "It's the biggest launch Wren and Thistle has done, so let's go through it."),
            ("Jasper", "Tom and Priya have the running order."),
        ],
    )
    assert "Wren and Thistle" in found
    assert not found & {"Tom", "Priya", "Tom and Priya"}
