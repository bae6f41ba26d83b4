"""Speaker analytics: talk, listen and silence time, overlap, and pace.

Speech intervals come from word timings when a message has them, else from the message's start and
end time; a diarized recording adds its overlapped speech (`Transcript.overlaps`) to both speakers',
since words go to one speaker only and cannot show a second voice. Overlap is where two members'
intervals meet: the union of word-timing overlap and diarized overlap. Without any times every
figure is zero. The conversation's shares are of its span: the
whole recording for transcribed media (silence before the first word and after the last counts as
silence), else first word to last; a member's talk and listen shares are of the total talk time
(talk + listen = total talk time); an overlap's percent is relative to the two speakers' joint talk
time, as Symbl's analytics API defines it. Seconds have three decimals; a duration summed over no
interval at all is the integer 0.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from convoscope.pipeline.insights.refs import Person
from convoscope.pipeline.types import Speaker, Transcript, TranscriptMessage

Interval = tuple[float, float]
UNKNOWN = Speaker(id="", name="Unknown Speaker")


@dataclass(frozen=True)
class Share:
    """A length of time and the percentage of a whole it makes up (three decimals)."""

    percent: float
    seconds: float

    def to_json(self) -> dict[str, Any]:
        return {"percent": self.percent, "seconds": self.seconds}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Share:
        return cls(data["percent"], data["seconds"])


@dataclass(frozen=True)
class OverlapWith:
    """How long a member spoke at the same time as another one."""

    person: Person
    share: Share  # of the two speakers' joint talk time

    def to_json(self) -> dict[str, Any]:
        return {"person": self.person.to_json(), "share": self.share.to_json()}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> OverlapWith:
        return cls(Person.from_json(data["person"]), Share.from_json(data["share"]))


@dataclass(frozen=True)
class MemberAnalytics:
    person: Person  # "Unknown Speaker", without a member id, for messages nobody is known to say
    words_per_minute: int
    talk: Share  # of the total talk time
    listen: Share  # the others' talk: the rest of the total talk time
    overlap_seconds: float  # how long anyone else spoke at the same time
    overlaps: tuple[OverlapWith, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "person": self.person.to_json(),
            "words_per_minute": self.words_per_minute,
            "talk": self.talk.to_json(),
            "listen": self.listen.to_json(),
            "overlap_seconds": self.overlap_seconds,
            "overlaps": [overlap.to_json() for overlap in self.overlaps],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> MemberAnalytics:
        return cls(
            person=Person.from_json(data["person"]),
            words_per_minute=data["words_per_minute"],
            talk=Share.from_json(data["talk"]),
            listen=Share.from_json(data["listen"]),
            overlap_seconds=data["overlap_seconds"],
            overlaps=tuple(OverlapWith.from_json(overlap) for overlap in data["overlaps"]),
        )


@dataclass(frozen=True)
class Analytics:
    """The conversation's silence, talk and overlap (shares of its span) and each member's figures."""

    silence: Share
    talk: Share
    overlap: Share
    members: tuple[MemberAnalytics, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "silence": self.silence.to_json(),
            "talk": self.talk.to_json(),
            "overlap": self.overlap.to_json(),
            "members": [member.to_json() for member in self.members],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Analytics:
        return cls(
            silence=Share.from_json(data["silence"]),
            talk=Share.from_json(data["talk"]),
            overlap=Share.from_json(data["overlap"]),
            members=tuple(MemberAnalytics.from_json(member) for member in data["members"]),
        )


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


def compute_analytics(transcript: Transcript) -> Analytics:
    origin = transcript.origin()
    speech: dict[str, list[Interval]] = defaultdict(list)
    word_counts: dict[str, int] = defaultdict(int)
    speakers: dict[str, Speaker] = {}
    for message in transcript.messages:
        speaker = message.speaker or UNKNOWN
        speakers.setdefault(speaker.id, speaker)
        word_counts[speaker.id] += len(message.text.split())
        if origin is not None:
            speech[speaker.id].extend(_message_intervals(message, origin))
    if transcript.timeline_start is not None:  # overlaps count from the recording's start, as origin
        for overlap in transcript.overlaps:
            if overlap.speaker.id in speakers and overlap.other.id in speakers:
                speech[overlap.speaker.id].append((overlap.start, overlap.end))
                speech[overlap.other.id].append((overlap.start, overlap.end))
    per_member = {key: _union(speech.get(key, [])) for key in speakers}
    everyone = _union([i for intervals in per_member.values() for i in intervals])
    talk = _length(everyone)
    span = _span(everyone, transcript)
    pair_overlap = {
        (a, b): _length(_overlapping_parts(per_member[a], per_member[b]))
        for a in speakers
        for b in speakers
        if a != b
    }
    # Time when at least two people speak at once: the summed speech minus its union.
    total_overlap = sum(_length(i) for i in per_member.values()) - talk
    members = []
    for key, speaker in speakers.items():
        own = _length(per_member[key])
        overlaps = tuple(
            OverlapWith(
                Person.of(speakers[other]),
                Share(_percent(seconds, own + _length(per_member[other])), round(seconds, 3)),
            )
            for (first, other), seconds in pair_overlap.items()
            if first == key and seconds > 0
        )
        members.append(
            MemberAnalytics(
                person=Person.of(speaker),
                words_per_minute=round(word_counts[key] / (own / 60.0)) if own > 0 else 0,
                talk=Share(_percent(own, talk), round(own, 3)),
                listen=Share(_percent(talk - own, talk), round(talk - own, 3)),
                overlap_seconds=round(_length(_union_overlaps(per_member, key)), 3),
                overlaps=overlaps,
            )
        )
    return Analytics(
        silence=Share(_percent(span - talk, span), round(span - talk, 3)),
        talk=Share(_percent(talk, span), round(talk, 3)),
        overlap=Share(_percent(total_overlap, span), round(total_overlap, 3)),
        members=tuple(members),
    )


def _span(speech: list[Interval], transcript: Transcript) -> float:
    """The conversation's length: its recording's (at least up to the last word), else first word to last."""
    if transcript.timeline_start is not None:
        return max(transcript.media_seconds, speech[-1][1] if speech else 0.0)
    return (speech[-1][1] - speech[0][0]) if speech else 0.0


def _union_overlaps(per_member: dict[str, list[Interval]], key: str) -> list[Interval]:
    """The parts of `key`'s speech during which anyone else also speaks."""
    others = _union([i for other, intervals in per_member.items() if other != key for i in intervals])
    return _overlapping_parts(per_member[key], others)
