"""Kinds of error of the twelfth round (from `test11`): getting a firm or a trade to act as getting in
touch (not work handed to a colleague), "let the caretaker know"; spoken times with their value
("11 o'clock", "half three", "quarter to midnight", "9:30 at night"); family firms and "Co-op"; sums
said back in disbelief, "Wouldn't it be nice...?", a caller's "have you got a few minutes?" and "How's
the summer going?" as no questions."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from convoscope.pipeline.insights.dates import find_dates, mention_value
from convoscope.pipeline.nlp import LanguageModels
from tests.fixtures.insights import kinds_of, organizations_of

CONTEXT = ("Nell", "The boiler in block C has been tripping all week.")


@pytest.mark.parametrize(
    "request_",
    [
        "Joe, could you get Hallam Heating to confirm the visit in writing?",
        "Joe, can you get Pennock Electrical out to look at the fuse board today?",
        "Joe, could you get the gas engineer booked for Thursday?",
        "You'll want to log it with Corrigan Lifts before Friday, Joe.",
        "Joe, please let the caretaker know the boiler is off.",
        "Joe, could you get a quote from Brackley Plumbing this week?",
    ],
)
def test_getting_a_firm_to_act_is_a_follow_up(models: LanguageModels, request_: str) -> None:
    lines = [CONTEXT, ("Nell", request_), ("Joe", "Okay.")]
    assert "follow_up" in kinds_of(models, lines, request_)


@pytest.mark.parametrize(
    "request_",
    [
        "Joe, could you get facilities to look at the fan before Monday?",
        "I'll get the night staff to check it at closing.",
        "I'll write it with my brother tonight.",
    ],
)
def test_work_handed_to_colleagues_or_done_together_is_no_follow_up(
    models: LanguageModels, request_: str
) -> None:
    lines = [CONTEXT, ("Nell", request_), ("Joe", "Okay.")]
    kinds = kinds_of(models, lines, request_)
    assert "action_item" in kinds
    assert "follow_up" not in kinds


@pytest.mark.parametrize(
    ("sentence", "value"),
    [
        ("The fitters arrive at 11 o'clock.", "11:00:00"),
        ("The new starters are in at half three.", "15:30:00"),
        ("Shall we say half past four?", "16:30:00"),
        ("The last van got back at quarter to midnight.", "23:45:00"),
        ("I'll be there at quarter to one.", "12:45:00"),
        ("Lights go off at 9:30 at night.", "21:30:00"),
        ("The first boat leaves at 5:15 in the morning.", "05:15:00"),
    ],
)
def test_spoken_times_have_their_value(models: LanguageModels, sentence: str, value: str) -> None:
    reference = datetime(2026, 3, 24, 9, 0, tzinfo=UTC)
    mentions = find_dates(models.spacy()(sentence)[:], reference, None)
    assert [mention_value(m, None) for m in mentions if m.clock is not None] == [value]


@pytest.mark.parametrize(
    ("sentence", "value"),
    [
        ("Can we meet at 11 o'clock on Thursday?", "2026-03-26 11:00:00"),
        ("Would Thursday at half past two work for you?", "2026-03-26 14:30:00"),
    ],
)
def test_a_spoken_time_on_a_day_resolves_to_both(models: LanguageModels, sentence: str, value: str) -> None:
    reference = datetime(2026, 3, 24, 9, 0, tzinfo=UTC)  # a Tuesday
    mentions = find_dates(models.spacy()(sentence)[:], reference, None)
    assert [mention_value(m, None) for m in mentions] == [value]


def test_half_and_quarter_alone_are_no_times(models: LanguageModels) -> None:
    reference = datetime(2026, 3, 24, 9, 0, tzinfo=UTC)
    mentions = find_dates(models.spacy()("Half of the crew and a quarter of the budget.")[:], reference, None)
    assert all(m.clock is None for m in mentions)


def test_family_firms_and_hyphenated_names(models: LanguageModels) -> None:
    names = organizations_of(
        models,
        [
            ("Gwen", "Good morning, Marsh and Sons, Gwen speaking."),
            ("Ada", "Hello, the wake is at the Co-op hall on Friday."),
        ],
    )
    assert {"Marsh and Sons", "Co-op"} <= names


@pytest.mark.parametrize(
    "sentence",
    [
        "£640 for a hinge?",
        "Three stewards for two thousand people?",
        "Wouldn't it be nice to finish on time for once?",
        "How's the summer going, lots of weddings?",
        "Hi Rob, it's Tess from Calder Print, have you got a few minutes?",
    ],
)
def test_disbelief_wishes_and_openings_are_no_questions(models: LanguageModels, sentence: str) -> None:
    lines = [("Rob", "The locksmith sent his invoice."), ("Tess", sentence), ("Rob", "I know.")]
    assert "question" not in kinds_of(models, lines, sentence)
