"""Speaker analytics (§5.15): talk, listen and silence time, overlap, and pace.

Speech intervals come from word timings when a message has them, else from the message's start and
end time. Without any times every figure is zero. Member percentages are shares of the total talk
time (talk + listen = total talk time); an overlap's percent is relative to the two speakers' joint
talk time, as the docs define it.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

from convoscope.pipeline.types import Speaker, Transcript, TranscriptMessage

Interval = tuple[float, float]
UNKNOWN = Speaker(id="", name="Unknown Speaker")


def _union(intervals: list[Interval]) -> list[Interval]:
    merged: list[Interval] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _length(intervals: list[Interval]) -> float:
    return sum(end - start for start, end in intervals)


def _overlapping_parts(a: list[Interval], b: list[Interval]) -> list[Interval]:
    """Pieces where two sorted, disjoint interval lists overlap (a linear two-pointer sweep)."""
    parts: list[Interval] = []
    i = j = 0
    while i < len(a) and j < len(b):
        start, end = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        if end > start:
            parts.append((start, end))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return parts


def _message_intervals(message: TranscriptMessage, origin: datetime) -> list[Interval]:
    if message.start_time is None or message.end_time is None:
        return []
    base = (message.start_time - origin).total_seconds()
    if message.words and all(w.end >= w.start for w in message.words):
        first = message.words[0].start
        return [(base + w.start - first, base + w.end - first) for w in message.words]
    return [(base, base + max(0.0, (message.end_time - message.start_time).total_seconds()))]


def _percent(part: float, whole: float) -> float:
    return round(100.0 * part / whole, 3) if whole > 0 else 0.0


def _member_ref(speaker: Speaker) -> dict[str, Any]:
    ref: dict[str, Any] = {"name": speaker.name}
    if speaker.id:
        ref = {"id": speaker.id, **ref}
    if speaker.email:
        ref["userId"] = speaker.email
    return ref


def compute_analytics(transcript: Transcript) -> dict[str, Any]:
    """{"metrics": [...], "members": [...]} in the shape of §5.15."""
    timed = [m for m in transcript.messages if m.start_time is not None]
    origin = min((m.start_time for m in timed if m.start_time), default=None)
    speech: dict[str, list[Interval]] = defaultdict(list)
    word_counts: dict[str, int] = defaultdict(int)
    speakers: dict[str, Speaker] = {}
    for message in transcript.messages:
        speaker = message.speaker or UNKNOWN
        speakers.setdefault(speaker.id, speaker)
        word_counts[speaker.id] += len(message.text.split())
        if origin is not None:
            speech[speaker.id].extend(_message_intervals(message, origin))
    per_member = {key: _union(speech.get(key, [])) for key in speakers}
    everyone = _union([i for intervals in per_member.values() for i in intervals])
    talk = _length(everyone)
    span = (everyone[-1][1] - everyone[0][0]) if everyone else 0.0
    pair_overlap = {
        (a, b): _length(_overlapping_parts(per_member[a], per_member[b]))
        for a in speakers
        for b in speakers
        if a != b
    }
    # Time when at least two people speak at once: the summed speech minus its union.
    total_overlap = sum(_length(i) for i in per_member.values()) - talk
    metrics = [
        {"type": "total_silence", "percent": _percent(span - talk, span), "seconds": round(span - talk, 3)},
        {"type": "total_talk_time", "percent": _percent(talk, span), "seconds": round(talk, 3)},
        {
            "type": "total_overlap",
            "percent": _percent(total_overlap, span),
            "seconds": round(total_overlap, 3),
        },
    ]
    members = []
    for key, speaker in speakers.items():
        own = _length(per_member[key])
        overlapping = [
            {
                **_member_ref(speakers[other]),
                "percent": _percent(seconds, own + _length(per_member[other])),
                "seconds": round(seconds, 3),
            }
            for (first, other), seconds in pair_overlap.items()
            if first == key and seconds > 0
        ]
        members.append(
            {
                **_member_ref(speaker),
                "pace": {"wpm": round(word_counts[key] / (own / 60.0)) if own > 0 else 0},
                "talkTime": {"percentage": _percent(own, talk), "seconds": round(own, 3)},
                "listenTime": {"percentage": _percent(talk - own, talk), "seconds": round(talk - own, 3)},
                "overlap": {
                    "overlapDuration": round(_length(_union_overlaps(per_member, key)), 3),
                    "overlappingMembers": overlapping,
                },
            }
        )
    return {"metrics": metrics, "members": members}


def _union_overlaps(per_member: dict[str, list[Interval]], key: str) -> list[Interval]:
    """The parts of `key`'s speech during which anyone else also speaks."""
    others = _union([i for other, intervals in per_member.items() if other != key for i in intervals])
    return _overlapping_parts(per_member[key], others)
