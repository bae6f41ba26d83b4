from __future__ import annotations

import json
import re
from datetime import UTC, datetime

from convoscope.pipeline.insights import InsightOptions, TrackerSpec
from convoscope.pipeline.insights.engine import analyze
from convoscope.pipeline.insights.result import InsightResult
from convoscope.pipeline.nlp import LanguageModels
from tests.fixtures.insights import BUSINESS_MEETING, transcript_of


def _business_meeting(**kwargs: object) -> object:
    sentences = [s for s in re.split(r"(?<=[.?!])\s+", BUSINESS_MEETING) if s]
    return transcript_of([("John", s) for s in sentences], **kwargs)  # type: ignore[arg-type]


def test_business_meeting_end_to_end(models: LanguageModels) -> None:
    transcript = _business_meeting(seconds_per_message=3.0)
    result = analyze(transcript, InsightOptions(detect_phrases=True), models)  # type: ignore[arg-type]
    questions = [q.text for q in result.questions]
    assert "Is there basically website?" in questions
    actions = {a.text: a for a in result.action_items}
    appointment = next(a for text, a in actions.items() if text.startswith("I will set up a time"))
    assert appointment.assignee is not None and appointment.assignee.name == "John"
    assert appointment.due_by == datetime(2024, 3, 5, 18, tzinfo=UTC)  # tomorrow evening
    assert any(text.startswith("Can you also share the quotation") for text in actions)
    follow_ups = {f.text for f in result.follow_ups}
    assert appointment.text in follow_ups
    assert result.topics and result.abstract_topics and result.summary and result.entities
    messages = [m.id for m in transcript.messages]  # type: ignore[attr-defined]
    assert [s.message_id for s in result.message_sentiments] == messages
    assert [p.message_id for p in result.message_phrases] == messages
    assert any(p.phrases for p in result.message_phrases)
    assert result.analytics is not None and result.analytics.members[0].talk.seconds > 0
    # The stored form is plain JSON and reads back to the same result.
    stored = json.loads(json.dumps(result.to_json()))
    assert stored["format"] == 2
    assert InsightResult.from_json(stored) == result


def test_ids_are_deterministic(models: LanguageModels) -> None:
    first = analyze(_business_meeting(), InsightOptions(), models)  # type: ignore[arg-type]
    second = analyze(_business_meeting(), InsightOptions(), models)  # type: ignore[arg-type]
    assert [q.id for q in first.questions] == [q.id for q in second.questions]
    assert [a.id for a in first.action_items] == [a.id for a in second.action_items]
    other = analyze(_business_meeting(conversation_id="5000000000000002"), InsightOptions(), models)  # type: ignore[arg-type]
    assert {q.id for q in first.questions}.isdisjoint(q.id for q in other.questions)


def test_confidence_threshold_filters_by_score(models: LanguageModels) -> None:
    transcript = _business_meeting()
    everything = analyze(transcript, InsightOptions(confidence_threshold=0.0), models)  # type: ignore[arg-type]
    strict = analyze(transcript, InsightOptions(confidence_threshold=0.9), models)  # type: ignore[arg-type]
    for kind in ("questions", "action_items", "follow_ups", "topics"):
        kept = getattr(strict, kind)
        assert all(item.score >= 0.9 for item in kept)
        expected = [item for item in getattr(everything, kind) if item.score >= 0.9]
        assert list(kept) == expected
    assert len(strict.action_items) < len(everything.action_items)


def test_non_english_gives_empty_insights(models: LanguageModels) -> None:
    transcript = transcript_of(
        [("Ana", "¿Puedes enviarme el contrato mañana?"), ("Ben", "Sí, lo envío mañana.")],
        language="es-ES",
        seconds_per_message=2.0,
    )
    result = analyze(transcript, InsightOptions(trackers=(TrackerSpec("x", ("contrato",)),)), models)
    assert result.questions == result.action_items == result.follow_ups == ()
    assert result.topics == result.entities == result.summary == result.trackers == ()
    assert result.analytics is not None and result.analytics.talk.seconds == 4.0


def test_empty_transcript(models: LanguageModels) -> None:
    result = analyze(transcript_of([]), InsightOptions(), models)
    assert result.to_json()["questions"] == []
    assert result.analytics is not None and result.analytics.members == ()
