"""Kinds of error of the fourteenth round (from `test13`): "is that everything?", complaints with "only
ever", "why does it take X before anyone..." and "seen the state of", a sum said back with a relative
clause and a negative opinion with a positive tag are no questions; a number taken up with a question word
and an account asked for ("can you give us the picture on...?") are questions; handing something over
("get the template over to Tomasz", "have the report to you", "get the minutes to the team"), a quote from
any name, referring someone, an order put in with a firm, a British "half four" or "midday" offered, a
named person's plan for a day to come, "could you confirm with X which...?" and an imperative after
"Absolutely," are getting in touch; "I'll send it now, actually." is done in the call; minutes said in
words ("ten past six", "five to two") are times."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from convoscope.pipeline.insights.contact import is_contact_verb
from convoscope.pipeline.insights.dates import find_dates, mention_value
from convoscope.pipeline.nlp import LanguageModels
from tests.fixtures.insights import kinds_of

CONTEXT = ("Nell", "The boiler in block C has been tripping all week.")


@pytest.mark.parametrize(
    ("before", "sentence"),
    [
        (("Joe", "That's the last item from us."), "Lovely, is that everything from Wexford Print's side?"),
        (("Joe", "The rota clashed again."), "Why do we only ever hear about these clashes on the day?"),
        (("Joe", "The drain flooded again."), "Why does it take a flood before anyone listens?"),
        (("Joe", "Morning."), "Has anyone seen the state of the loading bay, by the way?"),
        (("Joe", "The quote for the pump came in at £3,100."), "£3,100 for a pump that's twelve years old?"),
        (("Joe", "We have two lifeguards on Sundays."), "That's not enough for the summer, is it?"),
    ],
)
def test_no_question(models: LanguageModels, before: tuple[str, str], sentence: str) -> None:
    lines = [CONTEXT, before, ("Nell", sentence), ("Joe", "Yes.")]
    assert "question" not in kinds_of(models, lines, sentence)


@pytest.mark.parametrize(
    ("before", "sentence"),
    [
        (("Joe", "We're taking sixty pupils."), "Sixty, with how many teachers?"),
        (("Joe", "The freezer reached nine degrees."), "Nine degrees, for how long?"),
        (("Joe", "Morning, all."), "Ravi, can you give us the picture on the flooding?"),
    ],
)
def test_a_question(models: LanguageModels, before: tuple[str, str], sentence: str) -> None:
    lines = [CONTEXT, before, ("Nell", sentence), ("Joe", "Sure.")]
    assert "question" in kinds_of(models, lines, sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "Yes, and I'll get the draft contract over to Dominic tomorrow.",
        "Understood, I'll have the incident report to you by Monday.",
        "And I'll get the minutes to the team before I leave.",
        "I'll get a quote from Harrowfield this week.",
        "I'll refer her to the falls prevention team before she goes home.",
        "Joe, please put the paper order in with Maxwell Supplies this week.",
        "I'm in a lesson at 2, could we do half four instead?",
        "Can we all meet again at midday for an update?",
        "Lara's ringing them tomorrow.",
        "Joe, could you confirm with Hannah which rooms she needs?",
    ],
)
def test_getting_in_touch_is_a_follow_up(models: LanguageModels, sentence: str) -> None:
    lines = [CONTEXT, ("Nell", sentence), ("Joe", "Okay.")]
    assert "follow_up" in kinds_of(models, lines, sentence)


def test_an_imperative_after_absolutely_takes_on_the_request(models: LanguageModels) -> None:
    lines = [
        CONTEXT,
        ("Joe", "Should I add our site manager to the call?"),
        ("Nell", "Absolutely, just forward her the invite."),
    ]
    assert "follow_up" in kinds_of(models, lines, "Absolutely, just forward her the invite.")


def test_sent_now_in_the_call_is_no_task(models: LanguageModels) -> None:
    lines = [("Joe", "Could I have the form as well?"), ("Nell", "I'll email it now, actually.")]
    assert kinds_of(models, lines, "I'll email it now, actually.") == set()


@pytest.mark.parametrize(
    ("sentence", "value"),
    [
        ("The coach leaves at ten past seven in the morning.", "07:10:00"),
        ("Please clear the pool by five to two.", "13:55:00"),
        ("We open the gates at twenty past four.", "16:20:00"),
    ],
)
def test_minutes_said_in_words_are_times(models: LanguageModels, sentence: str, value: str) -> None:
    reference = datetime(2026, 3, 24, 9, 0, tzinfo=UTC)
    mentions = find_dates(models.spacy()(sentence)[:], reference, None)
    assert [mention_value(m, None) for m in mentions if m.clock is not None] == [value]


def test_a_range_of_numbers_is_no_time(models: LanguageModels) -> None:
    reference = datetime(2026, 3, 24, 9, 0, tzinfo=UTC)
    mentions = find_dates(models.spacy()("We need five to ten volunteers.")[:], reference, None)
    assert all(m.clock is None for m in mentions)


@pytest.mark.parametrize(
    ("sentence", "verb", "contact"),
    [
        ("Let's speak again at half five once I've heard from them.", "speak", True),
        ("We'll talk again on Monday.", "talk", True),
        ("We'll look at it again on Monday.", "look", False),
    ],
)
def test_speaking_again_is_getting_in_touch(
    models: LanguageModels, sentence: str, verb: str, contact: bool
) -> None:
    token = next(t for t in models.spacy()(sentence) if t.text == verb)
    assert is_contact_verb(token) is contact
