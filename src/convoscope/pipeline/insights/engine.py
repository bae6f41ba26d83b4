"""`analyze`: every insight of a conversation in one pass over one parse."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, TypeVar

from convoscope.pipeline.insights.action_items import detect_action_items
from convoscope.pipeline.insights.analytics import compute_analytics
from convoscope.pipeline.insights.dates import DateMention
from convoscope.pipeline.insights.entities import detect_entities
from convoscope.pipeline.insights.options import InsightOptions
from convoscope.pipeline.insights.organizations import organization_names
from convoscope.pipeline.insights.parsed import ParsedConversation, parse_conversation
from convoscope.pipeline.insights.phrases import message_phrases
from convoscope.pipeline.insights.questions import detect_questions
from convoscope.pipeline.insights.result import InsightResult
from convoscope.pipeline.insights.sentiment import message_sentiments
from convoscope.pipeline.insights.summary import detect_summary
from convoscope.pipeline.insights.topics import detect_topics
from convoscope.pipeline.insights.trackers import Insight, InsightKind, detect_trackers
from convoscope.pipeline.insights.utterances import Utterance, read_utterances
from convoscope.pipeline.nlp import LanguageModels, default_models
from convoscope.pipeline.types import Transcript


class _Scored(Protocol):
    @property
    def score(self) -> float: ...


Scored = TypeVar("Scored", bound=_Scored)


def _above(items: Sequence[Scored], threshold: float) -> tuple[Scored, ...]:
    return tuple(item for item in items if item.score >= threshold)


def _date_mentions(conversation: ParsedConversation, utterances: list[Utterance]) -> list[list[DateMention]]:
    """The date and time expressions of each message, as its sentences' facts read them."""
    by_message: list[list[DateMention]] = [[] for _ in conversation.messages]
    for utterance in utterances:
        by_message[utterance.facts.sentence.message_index].extend(utterance.facts.mentions)
    return by_message


def analyze(
    transcript: Transcript, options: InsightOptions, models: LanguageModels | None = None
) -> InsightResult:
    """All insights of a conversation. Items below `options.confidence_threshold` are left out.

    Insights are made for English only: another `language` gives empty insight lists, with
    analytics (which need no language model) still filled.
    """
    analytics = compute_analytics(transcript)
    if not transcript.messages or not transcript.language.lower().startswith("en"):
        return InsightResult(analytics=analytics)
    conversation = parse_conversation(transcript, models or default_models())
    threshold = options.confidence_threshold

    sentiments = message_sentiments(conversation)
    utterances = read_utterances(conversation, options)
    questions = _above(detect_questions(conversation, utterances), threshold)
    all_action_items, all_follow_ups = detect_action_items(conversation, utterances, options)
    action_items = _above(all_action_items, threshold)
    follow_ups = _above(all_follow_ups, threshold)
    organizations = organization_names(conversation)  # for the entities, and kept out of the topics
    all_topics, all_abstract_topics = detect_topics(
        conversation, {s.message_id: s.sentiment for s in sentiments}, organizations
    )
    topics = _above(all_topics, threshold)
    insights: list[tuple[InsightKind, Insight]] = [("question", item) for item in questions]
    insights += [("action_item", item) for item in action_items]
    insights += [("follow_up", item) for item in follow_ups]
    return InsightResult(
        questions=questions,
        action_items=action_items,
        follow_ups=follow_ups,
        topics=topics,
        abstract_topics=_above(all_abstract_topics, threshold),
        entities=tuple(
            detect_entities(conversation, options, _date_mentions(conversation, utterances), organizations)
        ),
        trackers=tuple(detect_trackers(conversation, options.trackers, insights)),
        summary=tuple(detect_summary(conversation, topics, action_items, questions)),
        message_sentiments=sentiments,
        message_phrases=message_phrases(conversation) if options.detect_phrases else (),
        analytics=analytics,
    )
