"""Lenient parameter parsing: every client quirk of §7 and §10."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.requests import Request

from convoscope.api.params import merged_params, query_params
from convoscope.errors import BadRequest
from convoscope.options import parse_job_options


def request_with(query: str) -> Request:
    return Request({"type": "http", "query_string": query.encode(), "headers": []})


def test_python_sdk_sends_custom_vocabulary_one_character_per_parameter() -> None:
    text = '["Platform", "Discussion"]'
    from urllib.parse import quote

    query = "&".join(f"customVocabulary={quote(ch)}" for ch in text)
    options = parse_job_options(query_params(request_with(query)))
    assert options.custom_vocabulary == ("Platform", "Discussion")


def test_go_sdk_sends_unquoted_lists() -> None:
    options = parse_job_options(query_params(request_with("customVocabulary=[alpha,beta gamma]")))
    assert options.custom_vocabulary == ("alpha", "beta gamma")


def test_repeated_plain_values_are_a_list() -> None:
    options = parse_job_options(query_params(request_with("customVocabulary=alpha&customVocabulary=beta")))
    assert options.custom_vocabulary == ("alpha", "beta")


def test_json_text_in_query_string() -> None:
    query = (
        'trackers=[{"name":"COVID-19","vocabulary":["social distancing"]}]'
        '&channelMetadata=[{"channel":1,"speaker":{"name":"Ann"}}]'
    )
    options = parse_job_options(query_params(request_with(query)))
    assert options.trackers[0].name == "COVID-19"
    assert options.trackers[0].vocabulary == ("social distancing",)
    assert options.channel_metadata[0].name == "Ann"


@pytest.mark.parametrize("raw", [True, "true", "TRUE", "True", 1, "1"])
def test_booleans_in_any_spelling(raw: Any) -> None:
    assert parse_job_options({"detectPhrases": raw, "enableSpeakerDiarization": raw}).detect_phrases is True


@pytest.mark.parametrize("raw", [False, "false", "FALSE", 0, "0"])
def test_false_booleans(raw: Any) -> None:
    assert parse_job_options({"enableSummary": raw}).enable_summary is False


def test_body_wins_over_query_and_custom_entities_alias() -> None:
    params = merged_params(
        request_with("name=fromquery&webhookUrl=http://127.0.0.1/hook"),
        {"name": "frombody", "customEntities": [{"customType": "Hiring", "text": "internships"}]},
    )
    options = parse_job_options(params)
    assert options.name == "frombody"
    assert options.webhook_url == "http://127.0.0.1/hook"
    assert options.entities[0].custom_type == "Hiring"


def test_legacy_custom_entity_shape() -> None:
    options = parse_job_options({"customEntities": [{"Hiring Process": "internships"}]})
    assert options.entities[0].custom_type == "Hiring Process"
    assert options.entities[0].text == "internships"


def test_unknown_fields_are_ignored_and_numbers_from_strings() -> None:
    options = parse_job_options(
        {"somethingNew": {"a": 1}, "confidenceThreshold": "0.7", "diarizationSpeakerCount": "2"}
    )
    assert options.confidence_threshold == 0.7
    assert options.speaker_count == 2


@pytest.mark.parametrize(
    "params",
    [
        {"confidenceThreshold": "high"},
        {"confidenceThreshold": 2},
        {"detectPhrases": "maybe"},
        {"languageCode": "xx-XX"},
        {"mode": "radio"},
        {"trackers": [{"vocabulary": ["x"]}]},
        {"diarizationSpeakerCount": 1.5},
        {"metadata": "not json"},
    ],
)
def test_invalid_values_are_400(params: dict[str, Any]) -> None:
    with pytest.raises(BadRequest):
        parse_job_options(params)
