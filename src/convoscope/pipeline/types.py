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
    """A whole conversation, in message order, with the time its relative dates are resolved against."""

    conversation_id: str
    messages: tuple[TranscriptMessage, ...]
    reference_time: datetime
    language: str = "en-US"
    members: tuple[Speaker, ...] = field(default_factory=tuple)
