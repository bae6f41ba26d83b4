"""The SDK's insight calls deserialize our answers into its typed responses (§7 strictness)."""

from __future__ import annotations

from typing import Any

from symbl_rest.models import (
    ActionItemListResponse,
    AnalyticsListResponse,
    EntitiesListResponse,
    FollowUpListResponse,
    QuestionListResponse,
    TopicListResponse,
)

from tests.fixtures.conversations import SALES_CALL

MEETING = SALES_CALL


def test_insight_calls_return_typed_responses(sdk: Any, credentials: dict[str, str]) -> None:
    conversation = sdk.Text.process(payload=MEETING, credentials=credentials)

    questions = conversation.get_questions()
    assert isinstance(questions, QuestionListResponse), questions
    assert any("cost" in q.text for q in questions.questions)

    action_items = conversation.get_action_items()
    assert isinstance(action_items, ActionItemListResponse), action_items
    assert any("quotation" in a.text for a in action_items.action_items)

    follow_ups = conversation.get_follow_ups()
    assert isinstance(follow_ups, FollowUpListResponse), follow_ups

    topics = conversation.get_topics(parameters={"parentRefs": True})
    assert isinstance(topics, TopicListResponse), topics
    assert topics.topics

    # With entities present the SDK turns its typed response into a dict (Helper.parse_entity_response),
    # after deserializing it with the strict model; its error answer is {'message': ...} instead.
    entities = conversation.get_entities()
    assert isinstance(entities, EntitiesListResponse | dict) and "message" not in entities, entities
    listed = entities.entities if isinstance(entities, EntitiesListResponse) else entities["entities"]
    assert any(e["type"] == "person" if isinstance(e, dict) else e.type == "person" for e in listed)

    analytics = conversation.get_analytics()
    assert isinstance(analytics, AnalyticsListResponse), analytics
    assert {m.name for m in analytics.members} == {"Lucy", "Vikram"}

    trackers = conversation.get_trackers()
    assert isinstance(trackers, list), trackers
    assert trackers and trackers[0].name == "Pricing"
