"""Kinds of error of the thirteenth round (from `test12`): getting in touch said as a clock time offered
("could we do 11:30 instead?"), a thing booked in for a service, raising something where people are met,
"put it in the diary", "give them a nudge", advice with a contact verb ("it'd be worth asking...", "Best to
ask..."), a meeting wanted booked, "would you mind chasing...?", a request to someone else ("Could Priti
call me?", "Could your surveyor come?") and the speaker's subjectless "Will..."; polite moves, complaints
and small talk that are no questions; no date phrase as a topic; an hour alone after "at" as a time
("tomorrow at 11"); a name listed with a firm as a firm ("Greggs and Fernhill Bakeries")."""

from __future__ import annotations

import pytest

from convoscope.pipeline.insights.contact import asks_another_to_get_in_touch
from convoscope.pipeline.insights.dates import find_dates, mention_value
from convoscope.pipeline.insights.keyphrases import candidates
from convoscope.pipeline.nlp import LanguageModels
from tests.fixtures.insights import REFERENCE_TIME, kinds_of, organizations_of, parsed

CONTEXT = ("Nell", "The boiler in block C has been tripping all week.")


@pytest.mark.parametrize(
    "sentence",
    [
        "I can't do Monday, could we make it 3 o'clock on Tuesday?",
        "I'm out then, could we do 10:45 instead?",
        "Joe, please book the van in with Marsh Motors before Friday.",
        "Joe, please get the two trailers booked in before the 12th.",
        "I'll mention it when I see the caretaker tomorrow.",
        "I'll pin the rota up and mention it at the briefing.",
        "Friday at 2 is fine, I'll put it in the diary.",
        "Sure, I'll give the surveyor a nudge tomorrow.",
        "It'd be worth asking Cromwell Glass to send someone this week.",
        "Best to ask the electrician to bring a spare fuse on Friday.",
        "And I'd like a site meeting booked for Thursday.",
        "Joe, would you mind chasing the plumber this afternoon?",
        "I'd like you to ask the landlord whether he'd sign it.",
        "Could Martha ring me about the invoice?",
        "Could your engineer come out this week?",
    ],
)
def test_getting_in_touch_is_a_follow_up(models: LanguageModels, sentence: str) -> None:
    lines = [CONTEXT, ("Nell", sentence), ("Joe", "Okay.")]
    assert "follow_up" in kinds_of(models, lines, sentence)


def test_will_do_with_a_day_takes_on_the_request(models: LanguageModels) -> None:
    lines = [
        CONTEXT,
        ("Nell", "Joe, could you chase the boiler firm for a visit?"),
        ("Joe", "Sure, will do today."),
    ]
    assert "follow_up" in kinds_of(models, lines, "Sure, will do today.")


@pytest.mark.parametrize(
    "sentence",
    [
        "You'll want to book it with them early, it fills up fast.",
        "It'd be worth booking that soon, it gets busy on Fridays.",
        "Let me just put the dates in the shared calendar now.",
    ],
)
def test_booking_a_thing_is_no_follow_up(models: LanguageModels, sentence: str) -> None:
    lines = [CONTEXT, ("Nell", sentence), ("Joe", "Okay.")]
    assert "follow_up" not in kinds_of(models, lines, sentence)


@pytest.mark.parametrize(
    ("sentence", "asked"),
    [
        ("Could Martha ring me about the invoice?", True),
        ("Could your engineer come out this week?", True),
        ("Can someone remind me which key opens the plant room?", False),  # an answer, now
        ("Could it rain on the day?", False),
    ],
)
def test_a_request_to_someone_else_to_get_in_touch(
    models: LanguageModels, sentence: str, asked: bool
) -> None:
    assert asks_another_to_get_in_touch(models.spacy()(sentence)[:]) is asked


@pytest.mark.parametrize(
    "sentence",
    [
        "Can I just go back to the budget for a second?",
        "Sorry, can I ask one more thing?",
        "Who leaves the fire door open every single night?",
        "Why does the van keep breaking down on Mondays?",
        "Why is parking so expensive when half the bays are empty?",
        "Is a fiver really worth arguing about?",
        "How is that acceptable for a tenant with a baby?",
        "Thanks for coming in, did you find somewhere to park?",
    ],
)
def test_moves_complaints_and_small_talk_are_no_questions(models: LanguageModels, sentence: str) -> None:
    lines = [CONTEXT, ("Nell", sentence), ("Joe", "I know.")]
    assert "question" not in kinds_of(models, lines, sentence)


def test_a_date_phrase_is_no_topic(models: LanguageModels) -> None:
    conversation = parsed(models, [("Nell", "We'll review the heating plan again on the 5th of May.")])
    keys = {c.key for c in candidates(conversation)}
    assert "heating plan" in keys
    assert not any("may" in key for key in keys)


@pytest.mark.parametrize(
    ("sentence", "values"),
    [
        ("The parts come tomorrow at 11.", ["2024-03-05 11:00:00"]),
        ("We start at 3, after the school run.", ["15:00:00"]),
        ("We sold out at 1,840 tickets.", []),
    ],
)
def test_an_hour_alone_after_at_is_a_time(models: LanguageModels, sentence: str, values: list[str]) -> None:
    mentions = find_dates(models.spacy()(sentence)[:], REFERENCE_TIME, None)
    assert [mention_value(m, None) for m in mentions if m.clock is not None] == values


def test_a_name_listed_with_a_firm_is_a_firm(models: LanguageModels) -> None:
    names = organizations_of(
        models,
        [
            ("Ada", "Greggs and Fernhill Bakeries have both phoned their account managers."),
            ("Ben", "Cash and cards are both fine at the till."),
        ],
    )
    assert {"Greggs", "Fernhill Bakeries"} <= names
    assert "Cash" not in names
