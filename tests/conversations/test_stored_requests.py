"""Requests stored by the earlier version (jobs still queued across an upgrade) read as today's."""

from __future__ import annotations

from convoscope.conversations.job_requests import MediaUpload, MediaUrlSubmit, TextSubmit
from convoscope.conversations.stored_requests import read_stored

# What the earlier version stored for an upload with every recognition option set.
EARLIER_MEDIA = {
    "options": {
        "languageCode": "en-GB",
        "customVocabulary": ["Convoscope", "Kubernetes"],
        "mode": "phone",
        "separateChannels": True,
        "channelMetadata": [
            {"channel": 1, "name": "Agent", "email": "agent@example.com"},
            {"channel": 2, "name": "Caller", "email": None},
        ],
        "diarization": False,
        "speakerCount": None,
    },
    "url": None,
}


def test_an_earlier_media_request_reads_as_the_same_options() -> None:
    expected = MediaUpload.model_validate(
        {
            "languageCode": "en-GB",
            "customVocabulary": ["Convoscope", "Kubernetes"],
            "mode": "phone",
            "enableSeparateRecognitionPerChannel": True,
            "channelMetadata": [
                {"channel": 1, "speaker": {"name": "Agent", "email": "agent@example.com"}},
                {"channel": 2, "speaker": {"name": "Caller"}},
            ],
        }
    )
    read = read_stored(MediaUpload, EARLIER_MEDIA)
    assert read == expected
    assert read.per_channel and read.whisper_language == "en"
    agent = read.channel_speaker(1)
    assert agent is not None and agent.name == "Agent"


def test_an_earlier_url_request_keeps_its_url_and_diarization() -> None:
    stored = {
        "options": {"languageCode": "en-US", "diarization": True, "speakerCount": 2},
        "url": "https://media.example.com/call.mp3",
    }
    read = read_stored(MediaUrlSubmit, stored)
    assert read.url == "https://media.example.com/call.mp3"
    assert read.enableSpeakerDiarization and read.diarizationSpeakerCount == 2
    assert not read.per_channel


def test_an_earlier_text_request_keeps_senders_and_times() -> None:
    stored = {
        "messages": [
            {
                "content": "Hi Mike, Natalia here.",
                "from": {"name": "Natalia", "userId": "natalia@example.com"},
                "start": "2020-07-21T16:02:19.010Z",
                "end": "2020-07-21T16:02:29.010Z",
            },
            {"content": "Hello.", "from": None, "start": None, "end": None},
        ]
    }
    read = read_stored(TextSubmit, stored)
    first, second = read.messages
    assert first.payload.content == "Hi Mike, Natalia here."
    assert first.sender is not None and first.sender.userId == "natalia@example.com"
    assert first.duration is not None and first.duration.startTime is not None
    assert first.duration.startTime.isoformat().startswith("2020-07-21T16:02:19.01")
    assert second.sender is None


def test_todays_requests_read_back_unchanged() -> None:
    submitted = TextSubmit.model_validate(
        {
            "messages": [{"payload": {"content": "Hello."}, "from": {"name": "Ana"}}],
            "confidenceThreshold": 0.7,
        }
    )
    stored = submitted.model_dump(mode="json", by_alias=True)
    assert read_stored(TextSubmit, stored) == submitted
