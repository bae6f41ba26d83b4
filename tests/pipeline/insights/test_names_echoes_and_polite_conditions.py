"""Kinds of error of the fifth round: organisations named as a sentence's subject or said once (the
sentence embedder reads them as nobody's first name), a call answered with "X, Rosa here", echoes
("Is it?"), questions that carry on from the last answer ("And Saturdays?", "Why not the 3G?"),
opening moves and greetings, requests put as conditions ("if you could..., that'd be great"), and
companies kept out of the topics."""

from __future__ import annotations

import pytest

from convoscope.pipeline.insights.entities import detect_entities
from convoscope.pipeline.insights.options import InsightOptions
from convoscope.pipeline.insights.sentiment import message_sentiments
from convoscope.pipeline.insights.topics import detect_topics
from convoscope.pipeline.nlp import LanguageModels
from tests.fixtures.insights import kinds_of, organizations_of, parsed

OPENING = ("Maya", "Okay, next item.")
REPLY = ("Tom", "Okay.")


def test_companies_that_are_the_subject_of_a_sentence(models: LanguageModels) -> None:
    organizations = organizations_of(
        models,
        [
            ("Harriet", "Where are we with the new shelving?"),
            ("Kwame", "Brindlewood Fixtures said the units ship next Wednesday."),
            ("Harriet", "And the label printers?"),
            ("Kwame", "Priyanka is chasing those, and Marcus said he'd help her on Friday."),
        ],
    )
    assert "Brindlewood Fixtures" in organizations
    assert not organizations & {"Priyanka", "Marcus", "Harriet", "Kwame"}


def test_a_call_answered_with_here_and_common_words_at_a_sentence_start(models: LanguageModels) -> None:
    organizations = organizations_of(
        models,
        [
            ("Rosa", "Crumb & Crust, Rosa here."),
            ("Liam", "Hi Rosa, it's Liam, about the standing order."),
            ("Rosa", "Invoice terms, can we talk about those too? The invoice is due Friday."),
        ],
    )
    assert "Crumb & Crust" in organizations
    assert not organizations & {"Rosa", "Liam", "Invoice"}


@pytest.mark.parametrize(
    "sentence",
    [
        "Oh, is it?",  # an echo
        "Right, um, shall we make a start?",  # opening the meeting
        "Hiya Tom, how's things?",  # a greeting
        "Did everyone survive the storm on Saturday?",  # small talk
        "Why not?",  # rhetorical
    ],
)
def test_echoes_opening_moves_and_greetings_are_not_questions(models: LanguageModels, sentence: str) -> None:
    assert "question" not in kinds_of(models, [OPENING, ("Maya", sentence), REPLY], sentence)


@pytest.mark.parametrize(
    "sentence",
    ["And Saturdays?", "And if I'm not happy with the new figure?", "Do we?", "Why not the 3G pitch?"],
)
def test_questions_that_carry_on_from_the_last_answer(models: LanguageModels, sentence: str) -> None:
    lines = [("Tom", "We'd need a licence for weekday deliveries, I think."), ("Maya", sentence), REPLY]
    assert kinds_of(models, lines, sentence) == {"question"}


@pytest.mark.parametrize(
    ("sentence", "kinds"),
    [
        (
            "Priya, if you could get in touch with the caretaker, that'd be great.",
            {"action_item", "follow_up"},
        ),
        ("Great, and if you can get the form to me by Friday, I'll check it.", {"action_item", "follow_up"}),
        ("If the parcel is late, just let me know.", set()),  # a condition that may never happen
    ],
)
def test_requests_put_as_conditions(models: LanguageModels, sentence: str, kinds: set[str]) -> None:
    assert kinds_of(models, [OPENING, ("Maya", sentence), REPLY], sentence) == kinds


def test_a_company_named_is_an_entity_not_a_topic(models: LanguageModels) -> None:
    conversation = parsed(
        models,
        [
            ("Fiona", "The gala dinner is the main item, and Holloway Hotel has sent the menu."),
            ("Tariq", "Holloway Hotel wants the final numbers for the gala dinner by Monday."),
            ("Fiona", "Then the raffle prizes, we still need three more for the gala dinner."),
            ("Tariq", "I'll ask Holloway Hotel whether they'd donate a night for the raffle prizes."),
        ],
    )
    sentiments = {s.message_id: s.sentiment for s in message_sentiments(conversation)}
    texts = {t.text for t in detect_topics(conversation, sentiments)[0]}
    assert "gala dinner" in texts
    assert "Holloway Hotel" not in texts
    assert "Holloway Hotel" in {
        e.text for e in detect_entities(conversation, InsightOptions()) if e.kind == "organization"
    }
