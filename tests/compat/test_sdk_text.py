"""The SDK's text flow works unchanged and returns its typed responses, not its error dict."""

from __future__ import annotations

from typing import Any

from symbl_rest.models import ConversationDataListResponse, MemberListResponse, MessageListResponse


def test_text_process_append_and_read(sdk: Any, credentials: dict[str, str]) -> None:
    payload = {
        "name": "SDK meeting",
        "detectPhrases": True,
        "messages": [
            {
                "payload": {"content": "Hi Mike, Natalia here. Can you send me the contract by Friday?"},
                "from": {"userId": "natalia@example.com", "name": "Natalia"},
                "duration": {"startTime": "2020-07-21T16:02:19.01Z", "endTime": "2020-07-21T16:02:25.01Z"},
            }
        ],
    }
    conversation = sdk.Text.process(payload=payload, credentials=credentials)
    conversation_id = conversation.get_conversation_id()
    assert conversation_id.isdigit()

    appended = sdk.Text.append(
        payload={"messages": [{"payload": {"content": "Sure, I will send it."}, "from": {"name": "Mike"}}]},
        conversation_id=conversation_id,
        credentials=credentials,
    )
    assert appended.get_conversation_id() == conversation_id

    messages = appended.get_messages(parameters={"verbose": True, "sentiment": True})
    assert isinstance(messages, MessageListResponse), messages
    assert [m.text for m in messages.messages] == [
        "Hi Mike, Natalia here.",
        "Can you send me the contract by Friday?",
        "Sure, I will send it.",
    ]
    assert messages.messages[0]._from.name == "Natalia"

    members = appended.get_members()
    assert isinstance(members, MemberListResponse), members
    assert sorted(m.name for m in members.members) == ["Mike", "Natalia"]

    details = appended.get_conversation()
    assert isinstance(details, ConversationDataListResponse), details
    assert details.name == "SDK meeting"
    assert details.id == conversation_id
