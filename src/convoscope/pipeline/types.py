"""Plain data passed between pipeline steps.

The pipeline never imports the web or database layers: it takes these frozen dataclasses in and
gives them back out, so every step can be tested on its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Word:
    """One recognised word; times are seconds from the start of the media."""

    text: str
    start: float
    end: float
    probability: float | None = None
    channel: int = 0
    speaker: str | None = None  # a speaker key (diarization label or channel label), not a member id


@dataclass(frozen=True)
class Sentence:
    """One sentence of recognised speech: it becomes one stored message."""

    text: str
    start: float
    end: float
    words: tuple[Word, ...] = ()
    speaker: str | None = None
    channel: int = 0  # the audio channel its words came from (per-channel recognition)


@dataclass(frozen=True)
class Speaker:
    """A conversation member as the insights see it."""

    id: str
    name: str
    email: str | None = None


@dataclass(frozen=True)
class TranscriptMessage:
    """One stored message (one sentence) of a conversation, as input to the insights."""

    id: str
    text: str
    speaker: Speaker | None = None
    start_time: datetime | None = None
    end_time: datetime | None = None
    words: tuple[Word, ...] = ()


@dataclass(frozen=True)
class SpeechOverlap:
    """Two speakers talking at once, as diarization heard it: `other` speaks while `speaker` holds
    the floor. Seconds on the recording's timeline (from `Transcript.timeline_start`)."""

    start: float
    end: float
    speaker: Speaker
    other: Speaker


@dataclass(frozen=True)
class TrackerSpec:
    """An inline tracker: a name and the phrases that should be detected."""

    name: str
    vocabulary: tuple[str, ...]


@dataclass(frozen=True)
class CustomEntity:
    """A custom entity to detect: `text` is matched, `value` (default: the text) is reported."""

    custom_type: str
    text: str
    value: str | None = None


@dataclass(frozen=True)
class Transcript:
    """A whole conversation, in message order, with the time its relative dates are resolved against.

    A transcribed recording has a timeline: `timeline_start` is the moment the recording starts (so
    silence before the first word is part of the conversation) and `media_seconds` its length (all
    recordings, when media was appended). A text conversation has neither: its times are the
    messages' own.
    """

    conversation_id: str
    messages: tuple[TranscriptMessage, ...]
    reference_time: datetime
    language: str = "en-US"
    members: tuple[Speaker, ...] = field(default_factory=tuple)
    timeline_start: datetime | None = None
    media_seconds: float = 0.0
    overlaps: tuple[SpeechOverlap, ...] = ()  # diarized overlapped speech, which words cannot show

    def origin(self) -> datetime | None:
        """Where times count from: the recording's start, else the earliest message start."""
        if self.timeline_start is not None:
            return self.timeline_start
        starts = [m.start_time for m in self.messages if m.start_time is not None]
        return min(starts) if starts else None
