"""The outcome of one analysis: typed insights, and the JSON document they are stored as.

The stored form is versioned (`FORMAT`). A document without a version is the first format, in which
every insight was kept in the shape the API serves; `legacy` reads it into the same types.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from convoscope.pipeline.insights import legacy
from convoscope.pipeline.insights.action_items import ActionItem
from convoscope.pipeline.insights.analytics import Analytics
from convoscope.pipeline.insights.entities import Entity
from convoscope.pipeline.insights.phrases import MessagePhrases
from convoscope.pipeline.insights.questions import Question
from convoscope.pipeline.insights.sentiment import MessageSentiment
from convoscope.pipeline.insights.summary import SummarySentence
from convoscope.pipeline.insights.topics import AbstractTopic, Topic
from convoscope.pipeline.insights.trackers import DetectedTracker

FORMAT = 2


@dataclass(frozen=True)
class InsightResult:
    questions: tuple[Question, ...] = ()
    action_items: tuple[ActionItem, ...] = ()
    follow_ups: tuple[ActionItem, ...] = ()
    topics: tuple[Topic, ...] = ()
    abstract_topics: tuple[AbstractTopic, ...] = ()
    entities: tuple[Entity, ...] = ()
    trackers: tuple[DetectedTracker, ...] = ()
    summary: tuple[SummarySentence, ...] = ()
    message_sentiments: tuple[MessageSentiment, ...] = ()  # every message, in order
    message_phrases: tuple[MessagePhrases, ...] = ()  # every message when phrases were asked for
    analytics: Analytics | None = None

    def to_json(self) -> dict[str, Any]:
        """A JSON-safe dict (lists, dicts, strings, numbers, booleans, null)."""
        return {
            "format": FORMAT,
            "questions": [item.to_json() for item in self.questions],
            "action_items": [item.to_json() for item in self.action_items],
            "follow_ups": [item.to_json() for item in self.follow_ups],
            "topics": [item.to_json() for item in self.topics],
            "abstract_topics": [item.to_json() for item in self.abstract_topics],
            "entities": [item.to_json() for item in self.entities],
            "trackers": [item.to_json() for item in self.trackers],
            "summary": [item.to_json() for item in self.summary],
            "message_sentiments": [item.to_json() for item in self.message_sentiments],
            "message_phrases": [item.to_json() for item in self.message_phrases],
            "analytics": self.analytics.to_json() if self.analytics else None,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> InsightResult:
        """The inverse of `to_json`; also reads documents of the first, unversioned format."""
        version = data.get("format")
        if version is None:
            return cls(**legacy.result_fields(data))
        if version != FORMAT:
            raise ValueError(f"insights stored in format {version!r}; this version reads {FORMAT}")
        analytics = data.get("analytics")
        return cls(
            questions=tuple(Question.from_json(item) for item in data["questions"]),
            action_items=tuple(ActionItem.from_json(item) for item in data["action_items"]),
            follow_ups=tuple(ActionItem.from_json(item) for item in data["follow_ups"]),
            topics=tuple(Topic.from_json(item) for item in data["topics"]),
            abstract_topics=tuple(AbstractTopic.from_json(item) for item in data["abstract_topics"]),
            entities=tuple(Entity.from_json(item) for item in data["entities"]),
            trackers=tuple(DetectedTracker.from_json(item) for item in data["trackers"]),
            summary=tuple(SummarySentence.from_json(item) for item in data["summary"]),
            message_sentiments=tuple(MessageSentiment.from_json(i) for i in data["message_sentiments"]),
            message_phrases=tuple(MessagePhrases.from_json(item) for item in data["message_phrases"]),
            analytics=Analytics.from_json(analytics) if analytics else None,
        )
