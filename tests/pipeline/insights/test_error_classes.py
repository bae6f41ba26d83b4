"""The kinds of error people found in the insights of real meetings, one case each (the examples
are the ones the reports gave). Each sentence is judged in a small conversation, as it would be said."""

from __future__ import annotations

import pytest

from convoscope.pipeline.insights.action_items import detect_action_items
from convoscope.pipeline.insights.options import InsightOptions
from convoscope.pipeline.nlp import LanguageModels
from tests.fixtures.insights import kinds_of, read

REPLY = ("Tom", "Okay.")


@pytest.mark.parametrize(
    "sentence",
    [
        "Can I jump in on pricing for a second?",  # a polite formula
        "Who even reads these reports anyway?",  # rhetorical
        "How was your weekend?",  # small talk
        "That went well, didn't it?",  # a tag
        "What if we moved the launch to May?",  # a proposal
    ],
)
def test_formulas_shaped_like_questions_are_not_questions(models: LanguageModels, sentence: str) -> None:
    assert "question" not in kinds_of(models, [("Maya", sentence), REPLY], sentence)


def test_a_request_phrased_as_a_question_is_an_action_item(models: LanguageModels) -> None:
    sentence = "Could you send the client the slides by Thursday?"
    assert kinds_of(models, [("Maya", sentence), REPLY], sentence) == {"action_item", "follow_up"}


def test_an_embedded_question_after_a_polite_opening_is_a_question(models: LanguageModels) -> None:
    sentence = "Can I ask how the on-call rotation works here?"
    assert kinds_of(models, [("Maya", sentence), REPLY], sentence) == {"question"}


@pytest.mark.parametrize(
    "sentence",
    [
        "If the link expires, just ping me.",  # a condition that may never happen
        "You'll get a confirmation email after checkout.",  # how things work
        "I can show you where that setting is right now.",  # an offer done on the spot
        "Nice work.",  # a pleasantry
        "Let me share my screen.",  # done in the conversation
    ],
)
def test_conditions_descriptions_offers_and_pleasantries_are_not_action_items(
    models: LanguageModels, sentence: str
) -> None:
    assert kinds_of(models, [("Maya", "Thanks for calling."), ("Maya", sentence), REPLY], sentence) == set()


def test_a_need_met_in_the_call_is_not_an_action_item(models: LanguageModels) -> None:
    sentence = "I need to change my delivery address."
    lines = [
        ("Erin", sentence),
        ("Jamal", "I can do that for you right now."),
        ("Jamal", "Okay, I've updated the address."),
    ]
    assert kinds_of(models, lines, sentence) == set()


@pytest.mark.parametrize(
    "sentence",
    [
        "I'd love to see a draft before the review.",  # an indirect request
        "It would be good if the deck covered the risks too.",
        "You'll want to re-run the export after that.",  # advice that is a task
    ],
)
def test_indirect_requests_and_advice_are_action_items(models: LanguageModels, sentence: str) -> None:
    lines = [
        ("Maya", "Let's go through the quarterly report."),
        ("Maya", sentence),
        ("Tom", "Sure, will do."),
    ]
    assert "action_item" in kinds_of(models, lines, sentence)


def test_a_short_commitment_that_points_back_is_a_follow_up(models: LanguageModels) -> None:
    sentence = "Sure, I'll get that over to her tomorrow."
    lines = [("Maya", "Please send the list to the support lead when you have it."), ("Tom", sentence)]
    assert kinds_of(models, lines, sentence) == {"action_item", "follow_up"}


def test_a_third_person_commitment_is_a_follow_up(models: LanguageModels) -> None:
    sentence = "So Maya is going to set up the vendor call."
    lines = [("Tom", "We still need a date with the vendor."), ("Tom", sentence), ("Maya", "Yes.")]
    conversation, utterances = read(models, lines)
    _, follow_ups = detect_action_items(conversation, utterances, InsightOptions())
    (item,) = [f for f in follow_ups if f.text == sentence]
    assert item.assignee is not None and item.assignee.name == "Maya"


def test_a_short_reply_to_a_request_to_send_takes_on_the_follow_up(models: LanguageModels) -> None:
    sentence = "Sure, I'll get that done tonight."
    lines = [("Rebecca", "Could you email me a copy of the lease agreement?"), ("Marcus", sentence)]
    assert kinds_of(models, lines, sentence) == {"action_item", "follow_up"}


def test_a_short_reply_to_a_request_for_a_task_stays_an_action_item(models: LanguageModels) -> None:
    sentence = "Sure, I'll get that done tonight."
    lines = [("Rebecca", "Could you fix the broken link on the pricing page?"), ("Marcus", sentence)]
    assert kinds_of(models, lines, sentence) == {"action_item"}


@pytest.mark.parametrize(
    "sentence",
    [
        "Good to know, I'll call them this afternoon.",  # a formula, then a commitment
        "Okay, I'll tell the warehouse team on Thursday.",  # telling someone is getting in touch
        "Yes, I'll attach them to the same email.",  # what goes into a message is sent
    ],
)
def test_commitments_to_get_in_touch_are_follow_ups(models: LanguageModels, sentence: str) -> None:
    lines = [("Maya", "The supplier moved the delivery window to the morning."), ("Tom", sentence)]
    assert kinds_of(models, lines, sentence) == {"action_item", "follow_up"}


def test_a_closing_formula_after_a_formula_is_still_nothing(models: LanguageModels) -> None:
    sentence = "Thanks, talk soon."
    assert kinds_of(models, [("Maya", "I'll send the notes tomorrow."), ("Tom", sentence)], sentence) == set()
