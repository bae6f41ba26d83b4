"""Job requests as the worker reads them back, including those stored by an earlier version.

A request is stored with `model_dump()` of its model (`job_requests`). Jobs still queued when the
server is upgraded were stored in the earlier shapes: media as `{"options": {...}, "url"}` with
short option names, text as `{"messages": [{content, from, start, end}]}`. They are read by turning
them into today's shape first, so an upgrade never fails a job that was waiting.
"""

from __future__ import annotations

from typing import Any, TypeVar

from convoscope.conversations.job_requests import SubmitOptions

Model = TypeVar("Model", bound=SubmitOptions)


def read_stored(model: type[Model], stored: dict[str, Any]) -> Model:
    """The stored request as `model` (raises pydantic's ValidationError when it is not one)."""
    return model.model_validate(_current_shape(stored))


def _current_shape(stored: dict[str, Any]) -> dict[str, Any]:
    if isinstance(stored.get("options"), dict):
        return _media_before(stored["options"], stored.get("url"))
    messages = stored.get("messages")
    if isinstance(messages, list) and messages and isinstance(messages[0], dict) and "content" in messages[0]:
        return {"messages": [_message_before(message) for message in messages]}
    return stored


def _media_before(options: dict[str, Any], url: Any) -> dict[str, Any]:
    request: dict[str, Any] = {
        "languageCode": options.get("languageCode"),
        "customVocabulary": options.get("customVocabulary") or [],
        "mode": options.get("mode"),
        "enableSeparateRecognitionPerChannel": bool(options.get("separateChannels")),
        "channelMetadata": [
            {"channel": c["channel"], "speaker": {"name": c.get("name"), "email": c.get("email")}}
            for c in options.get("channelMetadata") or []
        ],
        "enableSpeakerDiarization": bool(options.get("diarization")),
        "diarizationSpeakerCount": options.get("speakerCount"),
    }
    if url:
        request["url"] = url
    return {key: value for key, value in request.items() if value is not None}


def _message_before(message: dict[str, Any]) -> dict[str, Any]:
    return {
        "payload": {"content": message["content"]},
        "from": message.get("from"),
        "duration": {"startTime": message.get("start"), "endTime": message.get("end")},
    }
