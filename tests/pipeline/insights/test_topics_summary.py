from __future__ import annotations

from convoscope.pipeline.insights.sentiment import message_sentiments
from convoscope.pipeline.insights.topics import detect_topics
from convoscope.pipeline.nlp import LanguageModels
from tests.fixtures.insights import parsed

PLANNING = [
    ("Ana", "The hiring plan for the support team is the main item today."),
    ("Ben", "We want two new support engineers before the holiday season."),
    ("Ana", "The support budget only covers one hire right now."),
    ("Ben", "Then we need to ask finance for a bigger hiring budget."),
    ("Ana", "I'll prepare the hiring request for finance by Friday."),
    ("Ben", "The mobile app release is the other topic."),
    ("Ana", "The app release is blocked on the payment screen."),
    ("Ben", "Our designers are fixing the payment screen this week."),
    ("Ana", "Customers keep asking about dark mode in the mobile app."),
    ("Ben", "Dark mode can wait until after the release."),
    ("Ana", "Thanks, that's all for today."),
    ("Ben", "Great meeting, everyone."),
]


def test_topics_are_ranked_key_phrases_with_hierarchy(models: LanguageModels) -> None:
    conversation = parsed(models, PLANNING)
    sentiments = {s.message_id: s.sentiment for s in message_sentiments(conversation)}
    topics, abstract = detect_topics(conversation, sentiments)
    texts = [t.text for t in topics]
    message_ids = {m.id for m in conversation.messages}
    assert any("hiring" in t or "support" in t for t in texts)
    assert any("release" in t or "app" in t for t in texts)
    assert all(0 < t.score <= 1 for t in topics)
    assert [t.score for t in topics] != [topics[0].score] * len(topics)  # not a constant
    assert all(set(t.message_ids) <= message_ids and t.message_ids for t in topics)
    assert all(t.sentiment.label in {"positive", "neutral", "negative"} for t in topics)
    parents = {t.text for t in topics if t.parent is None}
    assert parents
    assert all(t.parent in parents for t in topics if t.parent is not None)
    assert abstract and all(set(a.message_ids) <= message_ids for a in abstract)


def test_topics_are_phrases_and_near_repeats_are_merged(models: LanguageModels) -> None:
    conversation = parsed(
        models,
        [
            ("Ana", "Next, the refund policy."),
            ("Ben", "Our refund policy gives customers thirty days."),
            ("Ana", "Some customers want the refund policy to cover gift cards."),
            ("Ben", "The server migration plan is the other item."),
            ("Ana", "The server migration plan needs a rollback step."),
            ("Ben", "The policy page also needs new screenshots."),
        ],
    )
    texts = [t.text for t in detect_topics(conversation, {})[0]]
    assert "refund policy" in texts and "server migration plan" in texts
    assert "policy" not in texts  # merged into "refund policy"
