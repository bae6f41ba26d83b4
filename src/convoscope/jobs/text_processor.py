"""Turn a Text API job (its stored `TextSubmit`) into sentence messages with speakers and times."""

from __future__ import annotations

from datetime import datetime, timedelta

from convoscope.conversations.job_requests import TextSubmit
from convoscope.conversations.text_messages import MessageSender, TextMessage
from convoscope.jobs.output import JobOutput, NewMessage, SpeakerSpec
from convoscope.pipeline.sentences import split_sentences


def build_text_output(request: TextSubmit) -> JobOutput:
    output = JobOutput(messages=[])
    for index, message in enumerate(request.messages):
        speaker = speaker_from(message.sender)
        if speaker is not None:
            output.speakers.setdefault(speaker.key, speaker)
        content = message.payload.content
        sentences = split_sentences(content) or [content.strip()]
        for text, (start, end) in zip(sentences, _spread_times(message, sentences), strict=True):
            output.messages.append(
                NewMessage(
                    text=text,
                    start=start,
                    end=end,
                    speaker_key=speaker.key if speaker else None,
                    source=index,
                )
            )
    return output


def speaker_from(sender: MessageSender | None) -> SpeakerSpec | None:
    """A member key that deduplicates by userId/email first, then by name (case-insensitive)."""
    if sender is None:
        return None
    user_id = sender.userId
    email = sender.email or (user_id if user_id and "@" in user_id else None)
    name = sender.name or user_id or email or "Unknown"
    identity = (user_id or email or "").lower()
    key = f"user:{identity}" if identity else f"name:{name.lower()}"
    return SpeakerSpec(key=key, name=name, email=email, user_id=user_id)


Span = tuple[datetime | None, datetime | None]


def _spread_times(message: TextMessage, sentences: list[str]) -> list[Span]:
    """Give each sentence a share of the message's time span in proportion to its length."""
    start = message.duration.startTime if message.duration else None
    end = message.duration.endTime if message.duration else None
    if start is None or end is None or len(sentences) == 1:
        # Without a whole span there is nothing to divide: each sentence carries what was given.
        return [(start, end)] * len(sentences)
    total = sum(len(s) for s in sentences)
    span = (end - start).total_seconds()
    times: list[Span] = []
    cursor = start
    for sentence in sentences:
        following = cursor + timedelta(seconds=span * len(sentence) / total)
        times.append((cursor, following))
        cursor = following
    times[-1] = (times[-1][0], end)
    return times
