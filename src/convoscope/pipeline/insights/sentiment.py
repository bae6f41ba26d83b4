"""Message sentiment: VADER's compound polarity in [-1, 1] with the label Symbl's API gives it:
negative below -0.3, positive above 0.3, neutral in between (the bounds included)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from convoscope.pipeline.insights.parsed import ParsedConversation

NEGATIVE_BELOW = -0.3
POSITIVE_ABOVE = 0.3

SentimentLabel = Literal["positive", "neutral", "negative"]


@dataclass(frozen=True)
class Sentiment:
    polarity: float  # in [-1, 1], three decimals
    label: SentimentLabel

    @classmethod
    def of(cls, score: float) -> Sentiment:
        polarity = round(max(-1.0, min(1.0, float(score))), 3)
        return cls(polarity, suggested_label(polarity))

    def to_json(self) -> dict[str, Any]:
        return {"polarity": self.polarity, "label": self.label}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Sentiment:
        return cls(polarity=data["polarity"], label=data["label"])


@dataclass(frozen=True)
class MessageSentiment:
    message_id: str
    sentiment: Sentiment

    def to_json(self) -> dict[str, Any]:
        return {"message_id": self.message_id, **self.sentiment.to_json()}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> MessageSentiment:
        return cls(data["message_id"], Sentiment.from_json(data))


def suggested_label(score: float) -> SentimentLabel:
    """negative for x < -0.3, positive for x > 0.3, neutral in between (bounds included)."""
    if score < NEGATIVE_BELOW:
        return "negative"
    if score > POSITIVE_ABOVE:
        return "positive"
    return "neutral"


def message_sentiments(conversation: ParsedConversation) -> tuple[MessageSentiment, ...]:
    """The sentiment of every message, in message order."""
    analyzer = conversation.models.vader()
    return tuple(
        MessageSentiment(message.id, Sentiment.of(analyzer.polarity_scores(message.text)["compound"]))
        for message in conversation.messages
    )


def mean_sentiment(sentiments: Mapping[str, Sentiment], message_ids: Iterable[str]) -> Sentiment:
    """Sentiment over a group of messages (a topic): the mean of their polarities."""
    scores = [sentiments[i].polarity for i in message_ids if i in sentiments]
    return Sentiment.of(sum(scores) / len(scores) if scores else 0.0)
