"""Analytics of a diarized mono recording: the overlap diarization heard, which words cannot show."""

from __future__ import annotations

from datetime import timedelta

from convoscope.pipeline.insights.analytics import compute_analytics
from convoscope.pipeline.types import SpeechOverlap, Transcript, TranscriptMessage
from tests.fixtures.insights import REFERENCE_TIME, speaker


def recording(*overlaps: SpeechOverlap) -> Transcript:
    """Ana 0-6 s and Ben 6-10 s on a 12 s recording: their messages never overlap."""
    ana, ben = speaker("Ana"), speaker("Ben")
    at = lambda seconds: REFERENCE_TIME + timedelta(seconds=seconds)  # noqa: E731
    messages = (
        TranscriptMessage("1", "one two three four five six", ana, at(0), at(6)),
        TranscriptMessage("2", "seven eight nine", ben, at(6), at(10)),
    )
    return Transcript(
        "c", messages, REFERENCE_TIME, timeline_start=REFERENCE_TIME, media_seconds=12.0, overlaps=overlaps
    )


def test_diarized_overlap_counts_for_both_speakers() -> None:
    ana, ben = speaker("Ana"), speaker("Ben")
    result = compute_analytics(recording(SpeechOverlap(4.0, 5.5, ana, ben)))
    assert result.overlap.seconds == 1.5
    assert result.talk.seconds == 10.0  # Ben's interruption lies inside the talk already counted
    members = {m.person.name: m for m in result.members}
    assert members["Ana"].overlap_seconds == members["Ben"].overlap_seconds == 1.5
    assert members["Ben"].talk.seconds == 5.5  # his 4 s of messages and 1.5 s over Ana
    (with_ana,) = members["Ben"].overlaps
    assert (with_ana.person.name, with_ana.share.seconds) == ("Ana", 1.5)


def test_word_and_diarized_overlap_are_a_union() -> None:
    ana, ben = speaker("Ana"), speaker("Ben")
    # Two diarized pieces that overlap each other (a window boundary): the time counts once.
    result = compute_analytics(
        recording(SpeechOverlap(4.0, 5.0, ana, ben), SpeechOverlap(4.5, 5.5, ana, ben))
    )
    assert result.overlap.seconds == 1.5
    assert compute_analytics(recording()).overlap.seconds == 0


def test_overlap_of_someone_without_messages_is_ignored() -> None:
    ana, carl = speaker("Ana"), speaker("Carl")
    result = compute_analytics(recording(SpeechOverlap(1.0, 2.0, ana, carl)))
    assert result.overlap.seconds == 0
    assert {m.person.name for m in result.members} == {"Ana", "Ben"}
