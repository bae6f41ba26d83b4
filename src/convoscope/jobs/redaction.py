"""Personal data in a job's messages, found before they are stored (for every job, so that
`GET .../messages?redact=true` can mask them later) and, when the request asks, masked in the text
and the words and bleeped in the stored media, so that it is never stored in clear.

A text job's request holds the submitted messages: it is rewritten with the masked text when the
messages are stored, and emptied when the job fails for good.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import structlog

from convoscope.conversations.job_requests import Redaction
from convoscope.conversations.pii import MessagePii, masked, spoken_intervals
from convoscope.jobs.output import JobOutput, NewMessage
from convoscope.pipeline.pii import PiiSpan, find_pii
from convoscope.storage import MediaStore
from convoscope.tables import Job

log = structlog.get_logger(__name__)

BLEEP_TIMEOUT = 3600.0  # seconds to rewrite one file (a 4-hour recording takes a few minutes)


def job_redaction(job: Job) -> Redaction:
    """The redaction options of a job's stored request (none for requests stored before they existed)."""
    stored = (job.request or {}).get("redaction")
    try:
        return Redaction.model_validate(stored or {})
    except ValueError:
        return Redaction()


def redacted(output: JobOutput, job: Job, media: MediaStore) -> tuple[JobOutput, Redaction]:
    """The job's output with its personal data recorded, masked when asked and bleeped in the stored
    media when asked. Jobs that make no insights (OpenAI-style transcriptions, kept for no one to
    read later) are left as they are unless they ask."""
    redaction = job_redaction(job)
    if not output.insights and not redaction.wanted:
        return output, redaction
    output, spoken = redact_output(output, redaction)
    media_key = job.media_path or output.media_path
    if spoken and media_key and output.media_offset is not None:
        bleep(media.path(media_key), spoken, output.media_offset)
    return output, redaction


def forget_submitted_text(job: Job | None) -> None:
    """A job that asked for redaction and failed for good keeps none of the text it was sent."""
    if job is not None:
        redaction = job_redaction(job)
        if redaction.redactContent:
            job.request = emptied_request(job.request, redaction.redactionString)


def redact_output(output: JobOutput, redaction: Redaction) -> tuple[JobOutput, list[tuple[float, float]]]:
    """The output with each message's personal data recorded (and masked when asked), and the
    times of the words that said it (for bleeping the media)."""
    from convoscope.pipeline.nlp import default_models

    started = time.perf_counter()
    texts = [message.text for message in output.messages]
    names = [speaker.name for speaker in output.speakers.values()]
    found = find_pii(texts, known_names=names, models=default_models())
    messages: list[NewMessage] = []
    intervals: list[tuple[float, float]] = []
    for message, spans in zip(output.messages, found, strict=True):
        if redaction.redactAudio:
            intervals += spoken_intervals(message.words, message.text, spans)
        messages.append(_recorded(message, spans, redaction))
    log.info(
        "job.step.finished",
        step="pii",
        found=sum(len(spans) for spans in found),
        redacted=redaction.redactContent,
        seconds=round(time.perf_counter() - started, 3),
    )
    return replace(output, messages=messages), intervals


def _recorded(message: NewMessage, spans: Sequence[PiiSpan], redaction: Redaction) -> NewMessage:
    if not redaction.redactContent or not spans:
        pii = MessagePii(tuple(spans), identified=redaction.identifyContent)
        return replace(message, pii=pii.to_json())
    result = masked(message.text, message.words, spans, redaction.redactionString)
    pii = MessagePii(result.spans, identified=redaction.identifyContent, redacted=True)
    return replace(message, text=result.text, words=result.words, pii=pii.to_json())


def scrubbed_request(request: dict[str, Any], output: JobOutput) -> dict[str, Any]:
    """A text job's request with each submitted message's content replaced by its stored (masked)
    sentences: running the job again gives the same messages, and nothing in clear stays behind."""
    if not isinstance(request.get("messages"), list):
        return request
    sentences: dict[int, list[str]] = {}
    for message in output.messages:
        if message.source is not None:
            sentences.setdefault(message.source, []).append(message.text)
    messages = []
    for index, submitted in enumerate(request["messages"]):
        payload = {**(submitted.get("payload") or {}), "content": " ".join(sentences.get(index, []))}
        messages.append({**submitted, "payload": payload})
    return {**request, "messages": messages}


def emptied_request(request: dict[str, Any], replacement: str) -> dict[str, Any]:
    """A failed text job's request with every submitted content replaced."""
    if not isinstance(request.get("messages"), list):
        return request
    messages = [
        {**submitted, "payload": {**(submitted.get("payload") or {}), "content": replacement}}
        for submitted in request["messages"]
    ]
    return {**request, "messages": messages}


def bleep(path: Path, intervals: list[tuple[float, float]], media_offset: float) -> None:
    """Replace the stored media with a copy bleeped over `intervals` (conversation timeline seconds).

    FFmpeg decodes and encodes the tenant's file here: in a child process, so that a crash costs this
    job only (`pipeline.isolated`)."""
    from convoscope.pipeline import isolated
    from convoscope.pipeline.bleep import bleep_media

    if not intervals:
        return
    local = [(start - media_offset, end - media_offset) for start, end in intervals]
    started = time.perf_counter()
    isolated.call(bleep_media, path, local, timeout=BLEEP_TIMEOUT)
    log.info(
        "job.step.finished", step="bleep", spans=len(local), seconds=round(time.perf_counter() - started, 3)
    )
