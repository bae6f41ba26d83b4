"""Conversation intelligence: questions, action items, follow-ups, topics, entities, sentiment,
summary, trackers and analytics from a transcript, offline, with small models (no LLM).

    from convoscope.pipeline.insights.engine import analyze

    result = analyze(transcript, InsightOptions(confidence_threshold=0.6))
    result.to_json()  # store it; InsightResult.from_json(...) (in `result`) reads it back

Each insight kind is its own module over one shared parse (`parsed.parse_conversation`) and gives
frozen dataclasses (`questions.Question`, `action_items.ActionItem`, `topics.Topic`...), gathered in
`result.InsightResult`. The package itself holds only the options, so that importing them loads no
part of the engine.
"""

from convoscope.pipeline.insights.options import CustomEntity, InsightOptions, TrackerSpec

__all__ = ["CustomEntity", "InsightOptions", "TrackerSpec"]
