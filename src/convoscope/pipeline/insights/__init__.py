"""Conversation intelligence: questions, action items, follow-ups, topics, entities, sentiment,
summary, trackers and analytics from a transcript, offline, with small models (no LLM).

    result = analyze(transcript, InsightOptions(confidence_threshold=0.6))
    result.to_json()  # store it; InsightResult.from_json(...) reads it back

Each insight kind is its own module over one shared parse (`parsed.parse_conversation`).
"""

from convoscope.pipeline.insights.engine import analyze
from convoscope.pipeline.insights.options import CustomEntity, InsightOptions, TrackerSpec
from convoscope.pipeline.insights.result import InsightResult

__all__ = ["CustomEntity", "InsightOptions", "InsightResult", "TrackerSpec", "analyze"]
