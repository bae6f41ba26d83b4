"""Where a conversation's times count from.

Audio and video: from the start of the recording. The conversation starts where its first recording
starts and an appended recording continues where the previous one ended, so a message's `timeOffset`
is where it is heard in the recordings (5.3 s of silence before the first word: 5.3), its
`startTime` is the conversation's `startTime` plus that, and subtitles, the player and analytics all
count from the same point (https://docs.symbl.ai/docs/conversation-api/messages).

Text: from the first message's own start time, as the client gave it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from convoscope.tables import Conversation
from convoscope.timeutil import as_utc


def has_media(conversation: Conversation) -> bool:
    """Has a recording of the conversation been transcribed?"""
    return bool(conversation.media_seconds)


def timeline_origin(conversation: Conversation, starts: Iterable[datetime | None]) -> datetime | None:
    """The moment offsets count from: the recording's start, else the earliest message start."""
    if has_media(conversation):
        return as_utc(conversation.start_time)
    known = [as_utc(start) for start in starts if start is not None]
    return min(known) if known else None
