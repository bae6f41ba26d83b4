from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from convoscope.pipeline.insights.action_items import ActionItem, ItemEntity, detect_action_items
from convoscope.pipeline.insights.options import InsightOptions
from convoscope.pipeline.insights.refs import Person
from convoscope.pipeline.nlp import LanguageModels
from tests.fixtures.insights import read

ACTION_ITEMS = [
    "I'll send you the revised quote by Friday.",
    "We need to renew the SSL certificate before it expires.",
    "Priya, can you update the onboarding checklist?",
    "Please forward the signed contract to our legal team.",
    "Mark is going to prepare the budget for next quarter.",
    "Let's schedule a review with the design team next week.",
    "Let me check with finance and get back to you tomorrow.",
    "Don't forget to submit your expenses.",
]
NOT_ACTION_ITEMS = [
    "I sent the revised quote last Friday.",  # past-tense report
    "We already renewed the certificate.",
    "I was going to call them but I ran out of time.",
    "If we had a bigger budget, we would hire two more engineers.",  # hypothetical
    "We could maybe look at other vendors at some point.",
    "The release will probably slip by a week.",  # prediction
    "You will love the new dashboard.",
    "Let me know if you have any questions.",  # politeness formulas
    "Thanks for your time today.",
    "Have a great weekend.",
    "Let me share my screen.",  # in the moment, not later
    "I want to try a different approach someday.",  # a wish
    "Can you tell me more about your setup?",  # a question
    "If the tests fail again, call me right away.",  # a condition that may never happen
]


def _items(models: LanguageModels, lines: list[tuple[str, str]]) -> tuple[list[ActionItem], list[ActionItem]]:
    conversation, utterances = read(models, lines)
    return detect_action_items(conversation, utterances, InsightOptions())


def test_commitments_and_requests_are_found(models: LanguageModels) -> None:
    found, _ = _items(models, [("Ana", s) for s in ACTION_ITEMS])
    assert {item.text for item in found} == set(ACTION_ITEMS)


@pytest.mark.parametrize("sentence", NOT_ACTION_ITEMS)
def test_reports_hypotheticals_predictions_and_politeness_are_not(
    models: LanguageModels, sentence: str
) -> None:
    found, _ = _items(models, [("Ana", sentence)])
    assert found == []


def test_assignee_is_the_named_the_addressed_or_the_speaker(models: LanguageModels) -> None:
    found, _ = _items(
        models,
        [
            ("Ana", "Ben, please draft the release notes."),
            ("Ben", "Sure, I'll have them ready tomorrow."),
            ("Ana", "Carlos will review them afterwards."),
            ("Ana", "Can you also ping the support team?"),
            ("Ben", "Yes."),
        ],
    )
    assignees = {item.text: item.assignee for item in found}
    ben = Person("Ben", member_id="id-ben", email="ben@example.com")
    assert assignees["Ben, please draft the release notes."] == ben
    assert assignees["Sure, I'll have them ready tomorrow."] == ben
    # Carlos is not a member: a name without an id.
    assert assignees["Carlos will review them afterwards."] == Person("Carlos")
    # "you" with two members is the other member.
    assert assignees["Can you also ping the support team?"] == ben


def test_due_date_entities_offsets_and_phrase(models: LanguageModels) -> None:
    text = "Dana, please send the proposal to the client by tomorrow."
    (item,), (follow_up,) = _items(models, [("Ana", text), ("Dana", "Okay.")])
    assert item.definitive is True
    assert item.due_by == datetime(2024, 3, 5, tzinfo=UTC)  # local midnight of the next day (UTC here)
    assert item.entities == (
        ItemEntity("person", "Dana", 0, is_assignee=True),
        ItemEntity("date", "tomorrow", text.index("tomorrow"), day=date(2024, 3, 5)),
    )
    assert item.phrases == ("send the proposal to the client",)
    assert follow_up.text == text and follow_up.id != item.id


def test_due_date_uses_the_timezone() -> None:
    from convoscope.pipeline.insights import dates
    from tests.fixtures.insights import REFERENCE_TIME

    # UTC-7: it is 08:00 local on Monday, so "tomorrow" is Tuesday 00:00 local = 07:00 UTC.
    moment = dates.resolve("tomorrow", REFERENCE_TIME, -420)
    assert moment is not None and moment.isoformat() == "2024-03-05T07:00:00+00:00"
    evening = dates.resolve("tomorrow evening", REFERENCE_TIME, None)
    assert evening is not None and evening.hour == 18
    assert dates.resolve("every Friday", REFERENCE_TIME, None) is None


def test_follow_ups_are_the_contacting_actions(models: LanguageModels) -> None:
    lines = [
        ("Ana", "I'll email the agenda to everyone tonight."),
        ("Ana", "Let's set up a call with their CTO."),
        ("Ana", "I'll check in with you on Thursday."),
        ("Ana", "I'll fix the failing build this afternoon."),
        ("Ana", "We need to clean up the old dashboards."),
    ]
    actions, follow_ups = _items(models, lines)
    assert len(actions) == 5
    assert {f.text for f in follow_ups} == {text for _, text in lines[:3]}


def test_hedged_items_are_not_definitive(models: LanguageModels) -> None:
    firm, hedged = _items(
        models,
        [("Ana", "I will send the report on Monday."), ("Ana", "I'll probably fix the chart tomorrow.")],
    )[0]
    assert firm.definitive and not hedged.definitive
    assert hedged.score <= firm.score
