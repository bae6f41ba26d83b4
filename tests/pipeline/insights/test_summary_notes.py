"""The summary of a meeting and the action items said as notes."""

from __future__ import annotations

from convoscope.pipeline.insights import InsightOptions
from convoscope.pipeline.insights.engine import analyze
from convoscope.pipeline.nlp import LanguageModels
from tests.fixtures.insights import transcript_of

BUDGET_MEETING = [
    ("Maya", "Thanks for joining, let's go through the revised budget and the office move."),
    ("Tom", "The revised budget is about eight percent over the original plan."),
    ("Maya", "Where does the extra spending come from?"),
    ("Tom", "Mostly the new office lease and two extra engineering hires."),
    ("Ana", "The office move is planned for the first week of May."),
    ("Maya", "Do we have movers booked yet?"),
    ("Ana", "Not yet, I'll call three moving companies for quotes this week."),
    ("Maya", "Tom, could you send me the revised budget by Thursday?"),
    ("Tom", "Sure, I'll send it over by Thursday."),
    ("Maya", "Let's go with the smaller office on the second floor."),
    ("Tom", "Agreed, the bigger one was too expensive anyway."),
    ("Ana", "I'll let the landlord know on Monday."),
    ("Maya", "Great, thanks everyone."),
]


def test_the_summary_says_who_talked_what_was_decided_and_who_does_what(models: LanguageModels) -> None:
    result = analyze(transcript_of(BUDGET_MEETING), InsightOptions(), models)
    summary = [s.text for s in result.summary]
    print(summary)
    assert 3 <= len(summary) <= 6
    assert summary[0].startswith("Maya, Tom and Ana discussed")
    assert any(s.startswith("Maya decided to go with the smaller office") for s in summary)
    assert any(s.startswith("Tom will send Maya the revised budget") for s in summary)
    assert any(s.startswith("Ana will") for s in summary)
    message_ids = {s.message_id for s in result.message_sentiments}
    assert all(s.message_ids and set(s.message_ids) <= message_ids for s in result.summary)


RELEASE_MEETING = [
    ("Nadia", "Okay, let's start with the release schedule."),
    ("Omar", "Downloads dropped a little after we moved to Thursdays."),
    ("Nadia", "Should we go back to Tuesday releases?"),
    ("Lena", "Yes, I think we should, the newsletter goes out on Tuesdays."),
    ("Omar", "What if we tried a shorter format for the next three episodes?"),
    ("Nadia", "Good idea, let's do that."),
    ("Lena", "I'll tell the guests about the shorter format this week."),
    ("Nadia", "Great, thanks both."),
]


def test_the_summary_names_who_decided_what_even_when_it_points_back(models: LanguageModels) -> None:
    transcript = transcript_of(RELEASE_MEETING)
    result = analyze(transcript, InsightOptions(), models)
    summary = {s.text: s.message_ids for s in result.summary}
    print(summary)
    ids = [m.id for m in transcript.messages]
    assert summary.get("Lena decided to go back to Tuesday releases.") == (ids[2], ids[3])
    assert summary.get("Nadia decided to try a shorter format for the next three episodes.") == (
        ids[4],
        ids[5],
    )
    assert not any("decided to start" in text for text in summary)


def test_action_items_are_rephrased_with_names(models: LanguageModels) -> None:
    result = analyze(transcript_of(BUDGET_MEETING), InsightOptions(), models)
    notes = {a.text: a.rephrased for a in result.action_items}
    assert notes["Tom, could you send me the revised budget by Thursday?"] == (
        "Tom will send Maya the revised budget by Thursday."
    )
    assert notes["Not yet, I'll call three moving companies for quotes this week."] == (
        "Ana will call three moving companies for quotes this week."
    )


def test_a_named_third_party_is_called_by_name_not_by_the_words_before_it(models: LanguageModels) -> None:
    call = [
        ("Maria", "When do the panels go up?"),
        (
            "Derek",
            "Tuesday. Our inspector Kyle will text you the morning of, and Kyle will also call the utility.",
        ),
        ("Maria", "Great."),
    ]
    result = analyze(transcript_of(call), InsightOptions(), models)
    notes = [a.rephrased for a in result.action_items if "Kyle" in a.text]
    print(notes)
    assert notes and notes[0] is not None
    assert notes[0].startswith("Kyle will text Maria")
