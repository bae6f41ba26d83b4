"""Kinds of error of the sixth round's blind split: a short reply that takes on a request to get in
touch ("Yep, I'll do it after lunch"), ways of getting in touch ("give them a ring", "drop her a
line", "radio", "catch up", "confirm it with"), echoes of a number just said ("Ten percent?"), a
topic handed to someone by name ("Delivery drivers, Dev?"), days said in a question that offers no
time ("Is there any cake left from Saturday?"), "Will do, and I'll...", tags that check a fact, and
organisations known by their context: a plural verb ("once Vigo have been") or a call answered by an
office ("Saltmarsh Marina office, Fenella here.")."""

from __future__ import annotations

import pytest

from convoscope.pipeline.nlp import LanguageModels
from tests.fixtures.insights import kinds_of, organizations_of

OPENING = ("Maya", "Okay, next item.")
REPLY = ("Tom", "Okay.")


def test_a_short_reply_takes_on_a_request_to_get_in_touch(models: LanguageModels) -> None:
    lines = [
        ("Callum", "The chiller on tank four is playing up again."),
        ("Callum", "Priti, could you give the installers a ring today and get an engineer out?"),
        ("Priti", "Yep, I'll do it after lunch."),
    ]
    assert kinds_of(models, lines, lines[1][1]) == {"action_item", "follow_up"}
    assert kinds_of(models, lines, lines[2][1]) == {"action_item", "follow_up"}


def test_a_short_reply_to_a_task_stays_an_action_item(models: LanguageModels) -> None:
    lines = [
        ("Callum", "Ben, could you clean out the fermenter before the next brew?"),
        ("Ben", "Yep, I'll do it after lunch."),
    ]
    assert kinds_of(models, lines, lines[1][1]) == {"action_item"}


@pytest.mark.parametrize(
    "sentence",
    [
        "Sure, I'll drop her a line this week.",
        "Yep, I'll radio the ramp team after the briefing.",
        "Will do, and I'll loop in the QA lead.",
    ],
)
def test_ways_of_getting_in_touch(models: LanguageModels, sentence: str) -> None:
    assert kinds_of(models, [OPENING, ("Maya", sentence), REPLY], sentence) == {"action_item", "follow_up"}


@pytest.mark.parametrize(
    ("previous", "sentence"),
    [
        ("Donations are up ten percent on last month.", "Ten percent?"),
        ("The waiting list for a berth is about two years.", "Sorry, two years?"),
    ],
)
def test_an_echo_of_what_was_just_said_is_not_a_question(
    models: LanguageModels, previous: str, sentence: str
) -> None:
    lines = [("Tom", previous), ("Maya", sentence), ("Tom", "Yes, about that.")]
    assert "question" not in kinds_of(models, lines, sentence)


def test_a_topic_handed_to_someone_by_name_is_not_a_question(models: LanguageModels) -> None:
    lines = [
        ("Bernadette", "Right, the warehouse is sorted."),
        ("Bernadette", "Delivery drivers, Dev?"),
        ("Dev", "We're two short on Tuesdays."),
        ("Bernadette", "Which route, Dev?"),
        ("Dev", "The one out to the estates."),
    ]
    assert "question" not in kinds_of(models, lines, lines[1][1])
    assert kinds_of(models, lines, lines[3][1]) == {"question"}


@pytest.mark.parametrize(
    ("sentence", "kinds"),
    [
        ("Is there any of that cake left from Saturday?", set()),
        ("Is the Sunday concert in the church or in the school hall?", {"question"}),
        ("Would Thursday at 3 p.m. work for the review?", {"action_item", "follow_up"}),
    ],
)
def test_a_day_in_a_question_offers_a_time_only_when_asked_whether_it_suits(
    models: LanguageModels, sentence: str, kinds: set[str]
) -> None:
    assert kinds_of(models, [OPENING, ("Maya", sentence), REPLY], sentence) == kinds


@pytest.mark.parametrize(
    ("sentence", "kinds"),
    [
        ("And the deposit has already come off my card, hasn't it?", {"question"}),
        ("That's ages, isn't it?", set()),
    ],
)
def test_a_tag_that_checks_a_fact_is_a_question(
    models: LanguageModels, sentence: str, kinds: set[str]
) -> None:
    lines = [OPENING, ("Maya", sentence), ("Tom", "It has, yes.")]
    assert kinds_of(models, lines, sentence) == kinds


def test_a_name_with_a_plural_verb_is_a_company(models: LanguageModels) -> None:
    organizations = organizations_of(
        models,
        [
            ("Callum", "The canning line jammed twice on Friday."),
            ("Callum", "Let's review it next Thursday, once Orvane have been."),
            ("Ben", "Marcus is coming in for that as well."),
        ],
    )
    assert "Orvane" in organizations
    assert "Marcus" not in organizations


def test_a_call_answered_by_an_office(models: LanguageModels) -> None:
    organizations = organizations_of(
        models,
        [
            ("Fenella", "Kelpie Quay office, Fenella here."),
            ("Neil", "Hi Fenella, it's Neil, about the winter berth."),
        ],
    )
    assert "Kelpie Quay" in organizations
    assert not organizations & {"Fenella", "Neil"}
