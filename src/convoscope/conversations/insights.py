"""Recompute a conversation's insights over all its messages and store them (after every job)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from convoscope.conversations.job_requests import InsightSettings
from convoscope.conversations.transcript import load_transcript
from convoscope.db import Database
from convoscope.tables import Conversation, InsightSet
from convoscope.timeutil import utcnow


def refresh_insights(db: Database, conversation_id: str) -> bool:
    """Analyse the conversation as it is now and store the result; False when it no longer exists.

    The language models run with no database session open: the transcript is read in one short
    session and the result written in another, so a long analysis holds no connection or lock.
    """
    from convoscope.pipeline.insights.engine import analyze

    with db.session() as session:
        conversation = session.get(Conversation, conversation_id)
        if conversation is None:
            return False
        transcript = load_transcript(session, conversation)
        options = insight_options(conversation.insight_options)
    result = analyze(transcript, options)
    with db.session() as session:
        if session.get(Conversation, conversation_id) is None:
            return False
        store_insights(session, conversation_id, result.to_json())
    return True


def store_insights(session: Session, conversation_id: str, payload: dict[str, Any]) -> None:
    stored = session.get(InsightSet, conversation_id)
    if stored is None:
        session.add(InsightSet(conversation_id=conversation_id, payload=payload))
    else:
        stored.payload, stored.computed_at = payload, utcnow()


def insight_options(stored: dict[str, Any]) -> Any:
    """The analysis options of a conversation's stored `InsightSettings`."""
    from convoscope.pipeline.insights import CustomEntity, InsightOptions, TrackerSpec

    settings = InsightSettings.model_validate(stored or {})
    return InsightOptions(
        confidence_threshold=settings.confidenceThreshold,
        detect_phrases=settings.detectPhrases,
        custom_entities=tuple(
            CustomEntity(custom_type=e.customType, text=e.text, value=e.value) for e in settings.entities
        ),
        trackers=tuple(TrackerSpec(name=t.name, vocabulary=tuple(t.vocabulary)) for t in settings.trackers),
        timezone_offset_minutes=settings.timezoneOffset,
    )
