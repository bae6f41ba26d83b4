"""Recompute a conversation's insights over all its messages and store them (after every job)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from convoscope.conversations.transcript import load_transcript
from convoscope.tables import Conversation, InsightSet
from convoscope.timeutil import utcnow


def refresh_insights(session: Session, conversation: Conversation) -> None:
    from convoscope.pipeline.insights import analyze

    result = analyze(load_transcript(session, conversation), insight_options(conversation.insight_options))
    stored = session.get(InsightSet, conversation.id)
    if stored is None:
        session.add(InsightSet(conversation_id=conversation.id, payload=result.to_json()))
    else:
        stored.payload, stored.computed_at = result.to_json(), utcnow()


def insight_options(settings: dict[str, Any]) -> Any:
    from convoscope.pipeline.insights import CustomEntity, InsightOptions, TrackerSpec

    return InsightOptions(
        confidence_threshold=float(settings.get("confidenceThreshold", 0.5)),
        detect_phrases=bool(settings.get("detectPhrases", False)),
        custom_entities=tuple(
            CustomEntity(custom_type=e["customType"], text=e["text"], value=e.get("value"))
            for e in settings.get("entities", [])
        ),
        trackers=tuple(
            TrackerSpec(name=t["name"], vocabulary=tuple(t["vocabulary"]))
            for t in settings.get("trackers", [])
        ),
        timezone_offset_minutes=settings.get("timezoneOffset"),
    )
