"""Kinds of error of the tenth round (from `test9`): firms taken up by "they" or named as whom a
customer is with ("I'm with Harwick"), complaints put as questions ("Why does everyone...", "Is it
just me, or...", "Does it even matter...") and echoes with a verb or an article ("Shut for cleaning?",
"£12 for the pack?")."""

from __future__ import annotations

import pytest

from convoscope.pipeline.nlp import LanguageModels
from tests.fixtures.insights import kinds_of, organizations_of


def test_a_name_taken_up_by_they_is_a_firm(models: LanguageModels) -> None:
    organizations = organizations_of(
        models,
        [
            ("Rosa", "Who fitted the shelving last time?"),
            ("Dev", "Quillon, they came over from Leeds."),
            ("Rosa", "Dev, can you ask Brackenfold whether they'd quote for the racking too?"),
            ("Dev", "Sure, and Priya said she'd help with the layout."),
        ],
    )
    assert {"Quillon", "Brackenfold"} <= organizations
    assert "Priya" not in organizations


def test_whom_a_customer_is_with_is_a_firm_even_with_a_place_name(models: LanguageModels) -> None:
    organizations = organizations_of(
        models,
        [
            ("Agent", "Who is your home insurance with?"),
            ("Caller", "I'm with Geneva for the contents, I think."),
            ("Agent", "And you said you were with Sarah when it happened?"),
        ],
    )
    assert "Geneva" in organizations
    assert "Sarah" not in organizations


def test_partitive_them_is_not_a_firm(models: LanguageModels) -> None:
    organizations = organizations_of(
        models,
        [("Tess", "Most of them want a quieter slot on Sundays."), ("Ian", "Fair enough.")],
    )
    assert "Most" not in organizations


@pytest.mark.parametrize(
    "sentence",
    [
        "Why does everyone leave the forms until the last day?",
        "Is it just me, or are these meetings getting longer?",
        "Does it even matter if the cones are a bit off?",
    ],
)
def test_complaints_put_as_questions_are_not_questions(models: LanguageModels, sentence: str) -> None:
    lines = [("Maya", "Right, the open day."), ("Maya", sentence), ("Tom", "Ha, fair point.")]
    assert "question" not in kinds_of(models, lines, sentence)


@pytest.mark.parametrize(
    ("said", "echo"),
    [
        ("The pool is shut for cleaning until Monday.", "Shut for cleaning?"),
        ("It's £15 a pack, or £12 if you take a box of five.", "£12 for the box?"),
    ],
)
def test_echoes_with_a_verb_or_an_article(models: LanguageModels, said: str, echo: str) -> None:
    lines = [("Sam", said), ("Jo", echo), ("Sam", "Yes, I'm afraid so.")]
    assert "question" not in kinds_of(models, lines, echo)
