"""The SDK's audio and video calls work unchanged: process_file (empty Content-Type, SDK-encoded
query parameters), append_file, process_url, and Video.process_file with an mp4."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from symbl_rest.models import MemberListResponse, MessageListResponse

from tests.fixtures.media import make_mp4
from tests.fixtures.paths import SHARED_DATA

pytestmark = pytest.mark.slow

JFK = SHARED_DATA / "jfk.flac"


def texts(conversation: Any) -> list[str]:
    messages = conversation.get_messages(parameters={"verbose": True})
    assert isinstance(messages, MessageListResponse), messages
    return [m.text for m in messages.messages]


def test_process_file_then_append_file(sdk: Any, credentials: dict[str, str]) -> None:
    parameters = {"name": "Inaugural", "customVocabulary": ["country"], "languageCode": "en-US"}
    conversation = sdk.Audio.process_file(file_path=str(JFK), credentials=credentials, parameters=parameters)
    first = texts(conversation)
    assert "ask not what your country can do for you" in " ".join(first).lower()
    assert conversation.get_conversation().name == "Inaugural"

    appended = sdk.Audio.append_file(
        file_path=str(JFK), conversation_id=conversation.get_conversation_id(), credentials=credentials
    )
    both = texts(appended)
    assert both[: len(first)] == first and len(both) > len(first)


def test_process_file_with_diarization(sdk: Any, credentials: dict[str, str]) -> None:
    conversation = sdk.Audio.process_file(
        file_path=str(SHARED_DATA / "conv2_harvard.wav"),
        credentials=credentials,
        parameters={"enableSpeakerDiarization": True, "diarizationSpeakerCount": 2},
    )
    members = conversation.get_members()
    assert isinstance(members, MemberListResponse), members
    assert sorted(m.name for m in members.members) == ["Speaker 1", "Speaker 2"]


def test_process_url(sdk: Any, credentials: dict[str, str], file_server: str) -> None:
    conversation = sdk.Audio.process_url(
        payload={"url": f"{file_server}/jfk.flac", "name": "From a URL"}, credentials=credentials
    )
    assert "country" in " ".join(texts(conversation)).lower()


def test_video_process_file(sdk: Any, credentials: dict[str, str], tmp_path: Path) -> None:
    video = make_mp4(SHARED_DATA / "osr_us_000_0034_8k.wav", tmp_path / "talk.mp4")
    conversation = sdk.Video.process_file(file_path=str(video), credentials=credentials)
    assert "severe storm" in " ".join(texts(conversation)).lower()
