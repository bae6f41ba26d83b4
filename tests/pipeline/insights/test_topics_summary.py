from __future__ import annotations

from convoscope.pipeline.insights.sentiment import message_sentiments
from convoscope.pipeline.insights.summary import detect_summary
from convoscope.pipeline.insights.topics import detect_topics
from convoscope.pipeline.nlp import LanguageModels

from .helpers import parsed

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
    topics, abstract = detect_topics(conversation, message_sentiments(conversation))
    texts = [t["text"] for t in topics]
    message_ids = {m.id for m in conversation.messages}
    assert any("hiring" in t or "support" in t for t in texts)
    assert any("release" in t or "app" in t for t in texts)
    assert all(0 < t["score"] <= 1 for t in topics)
    assert [t["score"] for t in topics] != [topics[0]["score"]] * len(topics)  # not a constant
    assert all(set(t["messageIds"]) <= message_ids and t["messageIds"] for t in topics)
    assert all(t["sentiment"]["suggested"] in {"positive", "neutral", "negative"} for t in topics)
    parents = {t["text"] for t in topics if not t["parentRefs"]}
    assert parents
    assert all(ref["text"] in parents for t in topics for ref in t["parentRefs"])
    assert abstract and all(a["type"] == "abstract_topic" for a in abstract)


def test_summary_picks_central_sentences_with_message_refs(models: LanguageModels) -> None:
    conversation = parsed(models, PLANNING)
    summary = detect_summary(conversation, action_message_ids=set())
    assert 1 <= len(summary) <= 3
    ids = {m.id for m in conversation.messages}
    for item in summary:
        assert item["messageRefs"] and {ref["id"] for ref in item["messageRefs"]} <= ids
        assert "Thanks" not in item["text"]
    # A first-person commitment is told in the third person.
    five = detect_summary(conversation, action_message_ids={conversation.messages[4].id})
    assert any(item["text"].startswith("Ana will prepare") for item in five)
