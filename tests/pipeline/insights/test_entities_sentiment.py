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
