"""One analysis of a made-up call at worker start, so the first real job does not pay for warm-up.

The first analysis in a process is 0.5-1 s slower than the next ones on the same transcript:
dateparser compiles its regular expressions on the first date it reads, and the first batch of
sentence embeddings of real size is slow in torch. Loading the models does neither; analysing a
transcript with dates, questions, action items, trackers and sentences of many lengths does both.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from convoscope.pipeline.insights.engine import analyze
from convoscope.pipeline.insights.options import InsightOptions, TrackerSpec
from convoscope.pipeline.insights.result import InsightResult
from convoscope.pipeline.nlp import LanguageModels
from convoscope.pipeline.types import Speaker, Transcript, TranscriptMessage

_LINES = (
    "Hi everyone, thanks for joining the call today.",
    "Can you walk me through the renewal terms for next year?",
    "Sure, the price stays at twelve thousand dollars a year for fifty seats.",
    "We also discussed adding the analytics module in March.",
    "I will send you the updated proposal by Friday afternoon.",
    "Could we schedule a follow-up meeting on Tuesday at 3 pm with Maria from legal?",
    "That works for me, and please loop in David Chen from the finance team.",
    "Our main concern is the onboarding time for the support staff in Berlin.",
    "Last quarter it took almost six weeks, which was far too long.",
    "We can cut that to two weeks with the new training program.",
    "Great, I really like that idea.",
    "What happens if we need more seats before the end of the contract?",
    "You can add them at any time and we prorate the cost.",
    "Let's make sure the discount is written into the agreement.",
    "I'll ask our lawyer to review the draft tomorrow morning.",
    "Ok.",
    "Honestly the last release had a few bugs that frustrated our customers, and the dashboard "
    "was slow to load on Monday mornings when everyone logs in at the same time.",
    "Thanks, talk to you next week.",
)


def warm_up_insights(models: LanguageModels) -> InsightResult:
    """Analyse the made-up call once with `models`; the result is only for tests to look at."""
    start = datetime(2026, 1, 5, 15, 0, tzinfo=UTC)
    speakers = (Speaker(id="a", name="Alex Rivera"), Speaker(id="b", name="Sam Patel"))
    messages = tuple(
        TranscriptMessage(
            id=f"warm-{index}",
            text=text,
            speaker=speakers[index % 2],
            start_time=start + timedelta(seconds=6 * index),
            end_time=start + timedelta(seconds=6 * index + 5),
        )
        for index, text in enumerate(_LINES)
    )
    transcript = Transcript("warm-up", messages, start, members=speakers)
    options = InsightOptions(trackers=(TrackerSpec(name="Pricing", vocabulary=("price", "discount")),))
    return analyze(transcript, options, models)
