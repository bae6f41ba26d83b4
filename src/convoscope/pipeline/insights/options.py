"""What a job asks the insights for: the submit options that concern them (threshold, phrases, custom
entities, trackers, time zone)."""

from __future__ import annotations

from dataclasses import dataclass

from convoscope.pipeline.types import CustomEntity, TrackerSpec

__all__ = ["CustomEntity", "InsightOptions", "TrackerSpec"]


@dataclass(frozen=True)
class InsightOptions:
    """Options of one analysis.

    `timezone_offset_minutes` is the conversation's offset from UTC, east positive (UTC-7 is -420);
    due dates such as "tomorrow" are local days. None means UTC.
    """

    confidence_threshold: float = 0.5
    detect_phrases: bool = False
    custom_entities: tuple[CustomEntity, ...] = ()
    trackers: tuple[TrackerSpec, ...] = ()
    timezone_offset_minutes: int | None = None
