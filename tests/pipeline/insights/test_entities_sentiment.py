from __future__ import annotations

import pytest

from convoscope.pipeline.insights.entities import detect_entities
from convoscope.pipeline.insights.options import CustomEntity, InsightOptions
from convoscope.pipeline.insights.sentiment import message_sentiments, suggested_label
from convoscope.pipeline.nlp import LanguageModels
from tests.fixtures.insights import parsed


def test_entities_with_every_mention(models: LanguageModels) -> None:
    lines = [
        ("Natalia", "Hi Mike, I work with Acme Corporation in Berlin."),
        ("Mike", "Our internships pay $3,000 a month and start on March 15."),
        ("Natalia", "We have 25 internships open, and the marketing director approves them."),
    ]
    options = InsightOptions(
        custom_entities=(
            CustomEntity("Hiring Process", "internship"),
            CustomEntity("Company Executives", "marketing director", "Marketing director"),
        )
    )
    conversation = parsed(models, lines)
    entities = detect_entities(conversation, options)
    kinds = {(e.kind, e.text) for e in entities}
    assert ("person", "Mike") in kinds
    assert ("organization", "Acme Corporation") in kinds
    assert ("location", "Berlin") in kinds
    assert ("money", "$3,000") in kinds
    assert any(kind == "date" and "March 15" in text for kind, text in kinds)
    assert ("number", "25") in kinds
    for entity in entities:
        assert entity.kind and entity.text and entity.mentions
        for mention in entity.mentions:
            assert mention.offset is not None
            assert mention.text[mention.offset :].lower().startswith(entity.text.lower())
    hiring = next(e for e in entities if e.custom_type == "Hiring Process")
    assert hiring.kind == "custom" and len(hiring.mentions) == 2
    executive = next(e for e in entities if e.custom_type == "Company Executives")
    assert executive.value == "Marketing director" and executive.text == "marketing director"


def test_unfamiliar_organisations_from_the_conversation_context(models: LanguageModels) -> None:
    conversation = parsed(
        models,
        [
            ("Chloe", "How does Norland Freight plan its routes today?"),
            ("Tobias", "We use a spreadsheet, and the trucks report through Samsara trackers."),
            ("Chloe", "We integrate with Samsara, and RouteWise can import the spreadsheet."),
            ("Tobias", "Chloe, can you send me the pilot proposal?"),
        ],
    )
    organizations = {
        e.text for e in detect_entities(conversation, InsightOptions()) if e.kind == "organization"
    }
    assert {"Norland Freight", "Samsara", "RouteWise"} <= organizations
    assert "Chloe" not in organizations and "Tobias" not in organizations


def test_products_named_as_modifiers_and_said_again_are_organisations(models: LanguageModels) -> None:
    conversation = parsed(
        models,
        [
            ("Meera", "My Okta prompts stopped arriving, so the login fails."),
            ("Lin", "If we go with Kafka, who runs it?"),
            ("Meera", "I can set up a session with the Kafka consultants."),
            ("Lin", "So the decision is Kafka, and Marcus will check with Dr. Osei on Friday."),
        ],
    )
    organizations = {
        e.text for e in detect_entities(conversation, InsightOptions()) if e.kind == "organization"
    }
    assert {"Okta", "Kafka"} <= organizations
    assert not organizations & {"Meera", "Lin", "Marcus", "Dr. Osei", "Osei"}


def test_organisations_said_once_in_a_list_a_tool_or_a_longer_name(models: LanguageModels) -> None:
    conversation = parsed(
        models,
        [
            ("Derek", "We install Tesla and Enphase batteries, both work fine with our panels."),
            ("Maria", "Do we need sign-off from the Department of Transportation?"),
            ("Derek", "The drawings are in Figma, and the supplier is Prairie Growers Co-op."),
            ("Maria", "I flew in from Frankfurt yesterday, so I'm a bit slow."),
        ],
    )
    organizations = {
        e.text for e in detect_entities(conversation, InsightOptions()) if e.kind == "organization"
    }
    print(organizations)
    assert {"Tesla", "Enphase", "Department of Transportation", "Figma"} <= organizations
    assert not organizations & {"Derek", "Maria", "Frankfurt", "Department"}


def test_times_of_day_have_time_values(models: LanguageModels) -> None:
    conversation = parsed(
        models,
        [
            ("Ana", "The replacement arrives by 5 p.m. on Friday."),
            ("Ben", "The audit starts at 9 a.m."),
            ("Ana", "Dr. Albrecht has Thursday at 10:30 or May 23 at 2:15."),
        ],
    )
    values = {(e.kind, e.text): e.value for e in detect_entities(conversation, InsightOptions())}
    assert values[("time", "9 a.m.")] == "09:00:00"
    assert any(kind == "datetime" and value.endswith("10:30:00") for (kind, _), value in values.items())
    assert any(kind == "datetime" and value == "2024-05-23 14:15:00" for (kind, _), value in values.items())
    assert any(
        value.endswith("17:00:00") for (kind, _), value in values.items() if kind in {"time", "datetime"}
    )


@pytest.mark.parametrize(
    ("score", "label"),
    [(-1.0, "negative"), (-0.31, "negative"), (-0.3, "neutral"), (0.3, "neutral"), (0.31, "positive")],
)
def test_sentiment_thresholds(score: float, label: str) -> None:
    assert suggested_label(score) == label


def test_message_sentiment_polarity(models: LanguageModels) -> None:
    conversation = parsed(
        models,
        [("A", "This is a fantastic product and I love it."), ("A", "The outage was terrible and awful.")],
    )
    good, bad = message_sentiments(conversation)
    assert [good.message_id, bad.message_id] == [m.id for m in conversation.messages]
    assert good.sentiment.label == "positive" and good.sentiment.polarity > 0.3
    assert bad.sentiment.label == "negative" and -1 <= bad.sentiment.polarity < -0.3
