from __future__ import annotations

from datetime import timedelta

from convoscope.pipeline.insights.analytics import Share, compute_analytics
from convoscope.pipeline.insights.options import TrackerSpec
from convoscope.pipeline.insights.questions import detect_questions
from convoscope.pipeline.insights.refs import MessageRef, Person
from convoscope.pipeline.insights.trackers import Insight, InsightKind, InsightRef, detect_trackers
from convoscope.pipeline.nlp import LanguageModels
from convoscope.pipeline.types import Transcript, TranscriptMessage, Word
from tests.fixtures.insights import REFERENCE_TIME, read, speaker, transcript_of


def test_trackers_exact_and_semantic_matches(models: LanguageModels) -> None:
    conversation, utterances = read(
        models,
        [
            ("Ana", "We have a sale right now on all annual plans."),
            ("Ben", "How much does it cost?"),
            ("Ana", "The weather is lovely today."),
        ],
    )
    questions = detect_questions(conversation, utterances)
    asked: list[tuple[InsightKind, Insight]] = [("question", q) for q in questions]
    trackers = (
        TrackerSpec("Promotion", ("sale right now",)),
        TrackerSpec("Pricing", ("What is the price",)),
        TrackerSpec("Unrelated", ("kubernetes cluster",)),
    )
    promotion, pricing = detect_trackers(conversation, trackers, asked)
    exact = promotion.matches[0]
    assert exact.phrase == "sale right now"
    assert exact.mentions == (MessageRef(conversation.messages[0].id, conversation.messages[0].text, 10),)
    semantic = pricing.matches[0]
    assert [mention.offset for mention in semantic.mentions] == [None]  # meant, not said
    assert semantic.insights == (InsightRef(questions[0].id, "question", questions[0].text, None),)
    assert len(pricing.id) == 16


def test_analytics_from_message_times() -> None:
    ana, ben = speaker("Ana"), speaker("Ben")
    at = lambda seconds: REFERENCE_TIME + timedelta(seconds=seconds)  # noqa: E731
    messages = (
        TranscriptMessage("1", "one two three four five six", ana, at(0), at(6)),
        TranscriptMessage("2", "seven eight nine", ben, at(4), at(10)),  # overlaps Ana by 2 s
        TranscriptMessage("3", "ten eleven", ana, at(20), at(30)),  # after 10 s of silence
    )
    result = compute_analytics(Transcript("c", messages, REFERENCE_TIME, members=(ana, ben)))
    assert result.talk == Share(round(100 * 20 / 30, 3), 20.0)
    assert result.silence.seconds == 10.0
    assert result.overlap.seconds == 2.0
    members = {m.person.name: m for m in result.members}
    assert members["Ana"].talk == Share(80.0, 16.0)
    assert members["Ana"].listen == Share(20.0, 4.0)
    assert members["Ana"].words_per_minute == round(8 / (16 / 60))
    assert members["Ana"].person == Person("Ana", member_id="id-ana", email="ana@example.com")
    assert members["Ben"].overlap_seconds == 2.0
    (with_ana,) = members["Ben"].overlaps
    assert with_ana.person.name == "Ana"
    assert with_ana.share.percent == round(100 * 2 / 22, 3)


def test_analytics_prefers_word_times() -> None:
    ana = speaker("Ana")
    words = (Word("hello", 0.0, 0.5), Word("there", 2.5, 3.0))
    message = TranscriptMessage(
        "1", "hello there", ana, REFERENCE_TIME, REFERENCE_TIME + timedelta(seconds=3), words
    )
    result = compute_analytics(Transcript("c", (message,), REFERENCE_TIME))
    assert (result.silence.seconds, result.talk.seconds, result.overlap.seconds) == (2.0, 1.0, 0.0)


def test_analytics_without_times_is_all_zeros() -> None:
    result = compute_analytics(transcript_of([("Ana", "Hi there."), ("Ben", "Hello.")]))
    assert all(share == Share(0.0, 0) for share in (result.silence, result.talk, result.overlap))
    assert [m.person.name for m in result.members] == ["Ana", "Ben"]
    assert all(m.words_per_minute == 0 for m in result.members)
