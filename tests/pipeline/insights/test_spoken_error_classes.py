"""More kinds of error found in spoken meetings and calls: complaints and small talk put as
questions, statements that open like questions, indirect requests, commitments after something that
will happen, requests to get in touch that the parse finds no clause for, companies named when a
call is answered, and verbs the tagger takes for a topic's head noun."""

from __future__ import annotations

import pytest

from convoscope.pipeline.insights.keyphrases import candidates
from convoscope.pipeline.nlp import LanguageModels
from tests.fixtures.insights import kinds_of, organizations_of, parsed

OPENING = ("Maya", "Okay, next item.")
REPLY = ("Tom", "Okay.")


@pytest.mark.parametrize(
    "sentence",
    [
        "Why does the printer always jam right before a deadline?",  # a complaint
        "Isn't that exactly what happened last spring?",
        "Do we really think the carriers will follow the new rules?",
        "Honestly, is that even legal?",
        "Did you catch the game last night?",  # small talk
        "What if the IT team looked at the access points?",  # a proposal
    ],
)
def test_complaints_small_talk_and_proposals_are_not_questions(models: LanguageModels, sentence: str) -> None:
    assert "question" not in kinds_of(models, [OPENING, ("Maya", sentence), REPLY], sentence)


def test_a_statement_that_opens_like_a_question_is_not_one(models: LanguageModels) -> None:
    sentence = "When the scanner drops, the system doesn't register the pick, so people guess."
    assert kinds_of(models, [OPENING, ("Maya", sentence), REPLY], sentence) == set()


def test_a_real_question_about_a_time_stays_a_question(models: LanguageModels) -> None:
    sentence = "Will the plumber be done by noon?"
    assert kinds_of(models, [OPENING, ("Maya", sentence), REPLY], sentence) == {"question"}


@pytest.mark.parametrize(
    ("sentence", "kinds"),
    [
        ("And it'd be good to have the floor plan updated before the walk.", {"action_item"}),
        ("Once I hear back, I'll introduce them to everyone by email.", {"action_item", "follow_up"}),
        ("Okay, can you confirm the order and ship it by Thursday?", {"action_item"}),
        ("Would you be able to email me a copy of the lease?", {"action_item", "follow_up"}),
        ("I'll raise it with the design team on Monday.", {"action_item", "follow_up"}),
        ("Sure, I'll have the figures to you by Wednesday.", {"action_item", "follow_up"}),
        ("Could you have the driver ring me when he's close?", {"action_item", "follow_up"}),
        ("Tom, why don't you meet with the landlord this month?", {"action_item", "follow_up"}),
        ("Let's call this meeting to order, it's just after nine.", set()),
        ("I'll keep that in mind.", set()),
    ],
)
def test_requests_and_commitments_of_the_weak_kinds(
    models: LanguageModels, sentence: str, kinds: set[str]
) -> None:
    assert kinds_of(models, [OPENING, ("Maya", sentence), REPLY], sentence) == kinds


def test_a_condition_that_may_never_happen_is_still_no_action_item(models: LanguageModels) -> None:
    sentence = "If the quote comes in high, just tell me and we'll look again."
    assert kinds_of(models, [OPENING, ("Maya", sentence), REPLY], sentence) == set()


def test_companies_named_when_a_call_is_answered(models: LanguageModels) -> None:
    organizations = organizations_of(
        models,
        [
            ("Rebecca", "Hartwell & Greer, Rebecca speaking, how can I help?"),
            ("Marcus", "Hi, we got a U-Haul quote and I have a question about the deposit."),
        ],
    )
    assert {"Hartwell & Greer", "U-Haul"} <= organizations
    assert "Rebecca" not in organizations


def test_a_verb_taken_for_a_noun_is_not_a_topic_head(models: LanguageModels) -> None:
    conversation = parsed(
        models,
        [
            ("Sophie", "How does the crane schedule work this week?"),
            ("Hank", "The crane schedule is shared with the steel crew."),
        ],
    )
    keys = {c.key for c in candidates(conversation)}
    assert "crane schedule" in keys
    assert "crane schedule work" not in keys
