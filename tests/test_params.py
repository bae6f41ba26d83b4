"""Lenient parameter parsing: every known client quirk, read into the request models once."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest
from starlette.requests import Request

from convoscope.api.params import query_params
from convoscope.conversations.job_requests import MediaUpload, MediaUrlSubmit, TextSubmit
from convoscope.conversations.languages import LANGUAGE_CODES, WHISPER_LANGUAGE
from convoscope.conversations.lenient import parse
from convoscope.errors import BadRequest


def request_with(query: str) -> Request:
    return Request({"type": "http", "query_string": query.encode(), "headers": []})


def from_query(query: str) -> MediaUpload:
    return parse(MediaUpload, query_params(request_with(query)))


def test_python_sdk_sends_custom_vocabulary_one_character_per_parameter() -> None:
    text = '["Platform", "Discussion"]'
    query = "&".join(f"customVocabulary={quote(ch)}" for ch in text)
    assert from_query(query).customVocabulary == ["Platform", "Discussion"]


def test_go_sdk_sends_unquoted_lists() -> None:
    assert from_query("customVocabulary=[alpha,beta gamma]").customVocabulary == ["alpha", "beta gamma"]


def test_repeated_plain_values_are_a_list() -> None:
    assert from_query("customVocabulary=alpha&customVocabulary=beta").customVocabulary == ["alpha", "beta"]


def test_json_text_in_query_string() -> None:
    options = from_query(
        'trackers=[{"name":"COVID-19","vocabulary":["social distancing"]}]'
        '&channelMetadata=[{"channel":1,"speaker":{"name":"Ann"}}]'
    )
    assert options.trackers[0].name == "COVID-19"
    assert options.trackers[0].vocabulary == ["social distancing"]
    assert options.channel_speaker(1) is not None and options.channel_speaker(1).name == "Ann"  # type: ignore[union-attr]


@pytest.mark.parametrize("raw", [True, "true", "TRUE", "True", 1, "1", " yes "])
def test_booleans_in_any_spelling(raw: Any) -> None:
    options = parse(MediaUpload, {"detectPhrases": raw, "enableSpeakerDiarization": raw})
    assert options.detectPhrases is True and options.enableSpeakerDiarization is True


@pytest.mark.parametrize("raw", [False, "false", "FALSE", 0, "0", ""])
def test_false_booleans(raw: Any) -> None:
    assert parse(MediaUpload, {"detectPhrases": raw}).detectPhrases is False


def test_body_wins_over_query_and_custom_entities_alias() -> None:
    params = query_params(request_with("name=fromquery&webhookUrl=http://127.0.0.1/hook")) | {
        "name": "frombody",
        "customEntities": [{"customType": "Hiring", "text": "internships"}],
    }
    options = parse(MediaUpload, params)
    assert options.name == "frombody"
    assert options.webhookUrl == "http://127.0.0.1/hook"
    assert options.entities[0].customType == "Hiring"


def test_legacy_custom_entity_shape_and_misspelled_all_trackers() -> None:
    options = parse(
        MediaUpload, {"customEntities": [{"Hiring Process": "internships"}], "enableAllTracker": "1"}
    )
    assert (options.entities[0].customType, options.entities[0].text) == ("Hiring Process", "internships")
    assert options.enableAllTrackers is True


def test_unknown_fields_are_ignored_nulls_are_absent_and_numbers_come_from_strings() -> None:
    options = parse(
        MediaUpload,
        {
            "somethingNew": {"a": 1},
            "confidenceThreshold": "0.7",
            "diarizationSpeakerCount": "2",
            "mode": None,
        },
    )
    assert options.confidenceThreshold == 0.7
    assert options.diarizationSpeakerCount == 2
    assert options.mode == "default"


def test_stored_request_reads_back_the_same_and_leaves_out_what_is_not_acted_on() -> None:
    submitted = parse(
        MediaUrlSubmit,
        {
            "url": " https://example.com/a.mp3 ",
            "languageCode": "es-ES",
            "customVocabulary": '["Convoscope", " ", "Symbl"]',
            "enableSeparateRecognitionPerChannel": "true",
            "channelMetadata": [{"channel": 2, "speaker": "Bob"}],
            "trackers": [{"name": " Price ", "vocabulary": ["discount"]}],
            "enableSummary": True,
            "conversationType": "sales",
            "metadata": '{"salesStage": "demo"}',
        },
    )
    stored = submitted.model_dump(mode="json", by_alias=True)
    assert not {"enableSummary", "detectEntities", "enableAllTrackers", "conversationType", "metadata"} & set(
        stored
    )
    restored = MediaUrlSubmit.model_validate(stored)
    assert restored == submitted.model_copy(
        update={"enableSummary": False, "conversationType": [], "metadata": {}}
    )
    assert restored.url == "https://example.com/a.mp3" and restored.whisper_language == "es"
    assert restored.customVocabulary == ["Convoscope", "Symbl"] and restored.per_channel
    assert restored.channel_speaker(2) is not None and restored.channel_speaker(2).name == "Bob"  # type: ignore[union-attr]
    assert restored.trackers[0].name == "Price"


def test_text_submit_reads_back_with_its_times() -> None:
    body = {
        "messages": [
            {
                "payload": {"content": "Hello there."},
                "from": {"name": " Ann ", "userId": ""},
                "duration": {"startTime": "2020-07-21T16:02:19.01Z", "endTime": "2020-07-21T16:04:19.99Z"},
            },
            {"payload": {"content": "Hi."}, "from": {}},
        ]
    }
    submitted = parse(TextSubmit, body, max_messages=10, max_chars=100)
    restored = TextSubmit.model_validate(submitted.model_dump(mode="json", by_alias=True))
    assert restored == submitted
    first, second = restored.messages
    assert first.sender is not None and (first.sender.name, first.sender.userId) == ("Ann", None)
    assert (
        first.duration is not None
        and first.duration.startTime.isoformat() == "2020-07-21T16:02:19.010000+00:00"
    )  # type: ignore[union-attr]
    assert second.sender is None


def test_languages_are_symbls_twenty_and_map_to_whisper() -> None:
    assert len(LANGUAGE_CODES) == 20 and LANGUAGE_CODES[0] == "en-US"
    assert set(WHISPER_LANGUAGE.values()) == {
        "en", "ru", "fr", "de", "it", "nl", "ja", "es", "ar", "hi", "pt", "fa",
    }  # fmt: skip
    assert parse(MediaUpload, {"languageCode": "pt-BR"}).whisper_language == "pt"
    assert parse(MediaUpload, {}).whisper_language == "en"
    for bad in ("en", "zh-CN", "de-AT", "pt-br"):
        with pytest.raises(BadRequest, match="not supported"):
            parse(MediaUpload, {"languageCode": bad})


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"confidenceThreshold": "high"}, '"confidenceThreshold" must be a number'),
        ({"confidenceThreshold": 2}, '"confidenceThreshold" must be a number between 0.0 and 1.0'),
        ({"detectPhrases": "maybe"}, '"detectPhrases" must be a boolean'),
        ({"languageCode": "xx-XX"}, "\"languageCode\" 'xx-XX' is not supported. Supported: en-US, en-GB"),
        ({"mode": "radio"}, '"mode" must be one of [phone, default]'),
        ({"trackers": [{"vocabulary": ["x"]}]}, '"trackers[].name" is required'),
        ({"trackers": [{"name": "x", "vocabulary": [" "]}]}, '"trackers[].vocabulary" must not be empty'),
        ({"diarizationSpeakerCount": 1.5}, '"diarizationSpeakerCount" must be an integer'),
        ({"diarizationSpeakerCount": 0}, '"diarizationSpeakerCount" must be a number between 1 and 100'),
        ({"metadata": "not json"}, '"metadata" must be an object'),
        ({"customVocabulary": [1]}, '"customVocabulary" must be an array of strings'),
        ({"entities": ["x"]}, '"entities" items must be objects'),
        ({"entities": [{"customType": "x"}]}, '"entities[].text" is required'),
        (
            {"channelMetadata": [{"channel": 99}]},
            '"channelMetadata[].channel" must be a number between 0 and 64',
        ),
    ],
)
def test_invalid_values_are_400_naming_the_field(params: dict[str, Any], message: str) -> None:
    with pytest.raises(BadRequest) as raised:
        parse(MediaUpload, params)
    assert raised.value.message.startswith(message)
