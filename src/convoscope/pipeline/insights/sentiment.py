"""Message sentiment: VADER's compound polarity in [-1, 1] with Symbl's labels (§5.5)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from convoscope.pipeline.insights.parsed import ParsedConversation

NEGATIVE_BELOW = -0.3
POSITIVE_ABOVE = 0.3


def suggested_label(score: float) -> str:
    """negative for x < -0.3, positive for x > 0.3, neutral in between (bounds included)."""
    if score < NEGATIVE_BELOW:
        return "negative"
    if score > POSITIVE_ABOVE:
        return "positive"
    return "neutral"


def sentiment_object(score: float) -> dict[str, Any]:
    score = round(max(-1.0, min(1.0, float(score))), 3)
    return {"polarity": {"score": score}, "suggested": suggested_label(score)}


def message_sentiments(conversation: ParsedConversation) -> dict[str, dict[str, Any]]:
    """Message id -> {"polarity": {"score": x}, "suggested": label}."""
    analyzer = conversation.models.vader()
    return {
        message.id: sentiment_object(analyzer.polarity_scores(message.text)["compound"])
        for message in conversation.messages
    }


def mean_sentiment(sentiments: dict[str, dict[str, Any]], message_ids: Iterable[str]) -> dict[str, Any]:
    """Sentiment over a group of messages (a topic): the mean of their polarities."""
    scores = [sentiments[i]["polarity"]["score"] for i in message_ids if i in sentiments]
    return sentiment_object(sum(scores) / len(scores) if scores else 0.0)
