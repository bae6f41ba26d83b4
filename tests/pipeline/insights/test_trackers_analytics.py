from __future__ import annotations

from datetime import timedelta

from convoscope.pipeline.insights.analytics import compute_analytics
from convoscope.pipeline.insights.options import TrackerSpec
from convoscope.pipeline.insights.questions import detect_questions
from convoscope.pipeline.insights.trackers import detect_trackers
from convoscope.pipeline.nlp import LanguageModels
from convoscope.pipeline.types import Transcript, TranscriptMessage, Word

from .helpers import REFERENCE_TIME, parsed, speaker, transcript_of


def test_trackers_exact_and_semantic_matches(models: LanguageModels) -> None:
    conversation = parsed(
        models,
        [
            ("Ana", "We have a sale right now on all annual plans."),
            ("Ben", "How much does it cost?"),
            ("Ana", "The weather is lovely today."),
        ],
    )
    questions = detect_questions(conversation)
    trackers = (
        TrackerSpec("Promotion", ("sale right now",)),
        TrackerSpec("Pricing", ("What is the price",)),
        TrackerSpec("Unrelated", ("kubernetes cluster",)),
    )
    promotion, pricing = detect_trackers(conversation, trackers, questions)
    exact = promotion["matches"][0]
    assert exact["type"] == "vocabulary" and exact["value"] == "sale right now"
    assert exact["messageRefs"] == [
        {"id": conversation.messages[0].id, "text": conversation.messages[0].text, "offset": 10}
    ]
    semantic = pricing["matches"][0]
    assert [ref["offset"] for ref in semantic["messageRefs"]] == [-1]
    assert semantic["insightRefs"][0]["type"] == "question"
    assert semantic["insightRefs"][0]["id"] == questions[0]["id"]
    assert len(pricing["id"]) == 16


def test_analytics_from_message_times() -> None:
    ana, ben = speaker("Ana"), speaker("Ben")
    at = lambda seconds: REFERENCE_TIME + timedelta(seconds=seconds)  # noqa: E731
    messages = (
        TranscriptMessage("1", "one two three four five six", ana, at(0), at(6)),
        TranscriptMessage("2", "seven eight nine", ben, at(4), at(10)),  # overlaps Ana by 2 s
        TranscriptMessage("3", "ten eleven", ana, at(20), at(30)),  # after 10 s of silence
    )
    result = compute_analytics(Transcript("c", messages, REFERENCE_TIME, members=(ana, ben)))
    metrics = {m["type"]: m for m in result["metrics"]}
    assert metrics["total_talk_time"]["seconds"] == 20.0
    assert metrics["total_silence"]["seconds"] == 10.0
    assert metrics["total_overlap"]["seconds"] == 2.0
    assert metrics["total_talk_time"]["percent"] == round(100 * 20 / 30, 3)
    members = {m["name"]: m for m in result["members"]}
    assert members["Ana"]["talkTime"] == {"percentage": 80.0, "seconds": 16.0}
    assert members["Ana"]["listenTime"] == {"percentage": 20.0, "seconds": 4.0}
    assert members["Ana"]["pace"]["wpm"] == round(8 / (16 / 60))
    assert members["Ana"]["userId"] == "ana@example.com" and members["Ana"]["id"] == "id-ana"
    overlap = members["Ben"]["overlap"]
    assert overlap["overlapDuration"] == 2.0
    assert overlap["overlappingMembers"][0]["name"] == "Ana"
    assert overlap["overlappingMembers"][0]["percent"] == round(100 * 2 / 22, 3)


def test_analytics_prefers_word_times() -> None:
    ana = speaker("Ana")
    words = (Word("hello", 0.0, 0.5), Word("there", 2.5, 3.0))
    message = TranscriptMessage(
        "1", "hello there", ana, REFERENCE_TIME, REFERENCE_TIME + timedelta(seconds=3), words
    )
    result = compute_analytics(Transcript("c", (message,), REFERENCE_TIME))
    metrics = {m["type"]: m["seconds"] for m in result["metrics"]}
    assert metrics == {"total_silence": 2.0, "total_talk_time": 1.0, "total_overlap": 0.0}


def test_analytics_without_times_is_all_zeros() -> None:
    result = compute_analytics(transcript_of([("Ana", "Hi there."), ("Ben", "Hello.")]))
    assert all(m["seconds"] == 0 and m["percent"] == 0 for m in result["metrics"])
    assert [m["name"] for m in result["members"]] == ["Ana", "Ben"]
    assert all(m["pace"]["wpm"] == 0 for m in result["members"])
