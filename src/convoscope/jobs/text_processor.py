"""Turn a Text API job (its validated `messages`) into sentence messages with speakers and times."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from convoscope.jobs.output import JobOutput, NewMessage, SpeakerSpec
from convoscope.pipeline.sentences import split_sentences
from convoscope.timeutil import parse_iso


def build_text_output(messages: list[dict[str, Any]]) -> JobOutput:
    output = JobOutput(messages=[])
    for message in messages:
        speaker = speaker_from(message.get("from"))
        if speaker is not None:
            output.speakers.setdefault(speaker.key, speaker)
        sentences = split_sentences(message["content"]) or [message["content"].strip()]
        for text, (start, end) in zip(sentences, _spread_times(message, sentences), strict=True):
            output.messages.append(
                NewMessage(text=text, start=start, end=end, speaker_key=speaker.key if speaker else None)
            )
    return output


def speaker_from(sender: dict[str, str] | None) -> SpeakerSpec | None:
    """A member key that deduplicates by userId/email first, then by name (case-insensitive)."""
    if not sender:
        return None
    user_id = sender.get("userId")
    email = sender.get("email") or (user_id if user_id and "@" in user_id else None)
    name = sender.get("name") or user_id or email or "Unknown"
    identity = (user_id or email or "").lower()
    key = f"user:{identity}" if identity else f"name:{name.lower()}"
    return SpeakerSpec(key=key, name=name, email=email, user_id=user_id)


def _spread_times(message: dict[str, Any], sentences: list[str]) -> list[tuple[Any, Any]]:
    """Give each sentence a share of the message's time span in proportion to its length."""
    start = parse_iso(message["start"]) if message.get("start") else None
    end = parse_iso(message["end"]) if message.get("end") else None
    if start is None or end is None or len(sentences) == 1:
        # Without a whole span there is nothing to divide: each sentence carries what was given.
        return [(start, end)] * len(sentences)
    total = sum(len(s) for s in sentences)
    span = (end - start).total_seconds()
    times, cursor = [], start
    for sentence in sentences:
        following = cursor + timedelta(seconds=span * len(sentence) / total)
        times.append((cursor, following))
        cursor = following
    times[-1] = (times[-1][0], end)
    return times
