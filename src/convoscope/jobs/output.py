"""What a job produces (messages and the speakers they belong to), and how it is stored.

Storing is idempotent per job: the job's earlier messages and overlaps are deleted first, so a re-run
after a crash replaces rather than duplicates.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from convoscope.conversations.voices import identify
from convoscope.ids import digit_id, uuid_id
from convoscope.pipeline.diarize.voiceprints import match_voiceprints
from convoscope.tables import Conversation, Job, Member, Message, Overlap
from convoscope.timeutil import as_utc


@dataclass(frozen=True)
class SpeakerSpec:
    """A speaker as a job sees it; `key` says who it is across jobs (a user id, a channel, a voice)."""

    key: str
    name: str
    email: str | None = None
    user_id: str | None = None
    voiceprint: tuple[float, ...] | None = None


@dataclass(frozen=True)
class NewMessage:
    text: str
    start: datetime | None = None
    end: datetime | None = None
    speaker_key: str | None = None
    words: list[dict[str, Any]] | None = None
    pii: dict[str, Any] | None = None  # the personal data found in `text` (`jobs.redaction`)
    source: int | None = None  # text jobs: the index of the submitted message it is a sentence of


@dataclass(frozen=True)
class NewOverlap:
    """Diarized overlapped speech: `other_key` talks while `speaker_key` holds the floor (seconds on
    the conversation's media timeline)."""

    start: float
    end: float
    speaker_key: str
    other_key: str


@dataclass
class JobOutput:
    messages: list[NewMessage]
    speakers: dict[str, SpeakerSpec] = field(default_factory=dict)
    media_seconds: float = 0.0  # length of the job's media; appends continue after it
    media_offset: float | None = None  # where the media starts on the conversation's timeline; None: text
    media_path: str | None = None  # media the job downloaded into the store (URL submits)
    media_bytes: int | None = None  # the size of that download (it counts against the storage quota)
    result: dict[str, Any] | None = None  # what the job returns to a caller waiting for it (`Job.result`)
    insights: bool = True  # recompute the conversation's insights (not for a request nobody keeps)
    voice_library: bool = False  # name new diarized speakers after the app's library voices
    overlaps: list[NewOverlap] = field(default_factory=list)


def store_output(session: Session, job: Job, conversation: Conversation, output: JobOutput) -> int:
    """Replace the job's messages with `output`; returns the number of messages stored."""
    session.execute(delete(Message).where(Message.job_id == job.id))
    session.execute(delete(Overlap).where(Overlap.job_id == job.id))
    library = conversation.app_id if output.voice_library else None
    members = _resolve_members(session, conversation.id, output.speakers, library)
    next_position = int(
        session.scalar(
            select(func.coalesce(func.max(Message.position), 0)).where(
                Message.conversation_id == conversation.id
            )
        )
        or 0
    )
    for offset, new in enumerate(output.messages, start=1):
        session.add(
            Message(
                id=digit_id(),
                conversation_id=conversation.id,
                job_id=job.id,
                position=next_position + offset,
                member_id=members.get(new.speaker_key) if new.speaker_key else None,
                text=new.text,
                start_time=new.start,
                end_time=new.end,
                words=new.words,
                pii=new.pii,
            )
        )
    for overlap in output.overlaps:
        speaker, other = members.get(overlap.speaker_key), members.get(overlap.other_key)
        if speaker and other and speaker != other:  # a voice that never got a word has no member
            session.add(
                Overlap(
                    conversation_id=conversation.id,
                    job_id=job.id,
                    member_id=speaker,
                    other_member_id=other,
                    start_seconds=round(overlap.start, 3),
                    end_seconds=round(overlap.end, 3),
                )
            )
    _extend_conversation_times(conversation, job, output)
    if output.media_path:
        job.media_path, job.media_bytes = output.media_path, output.media_bytes
    if output.result is not None:
        job.result = output.result
    session.flush()
    return len(output.messages)


def _resolve_members(
    session: Session, conversation_id: str, speakers: dict[str, SpeakerSpec], library_app: str | None
) -> dict[str, str]:
    """Map speaker keys to member ids: the same key, else (diarized voices) a member with the same
    voice, else a new member; a new unnamed voice takes the name of the voice of `library_app`'s
    voice library that matches it, if one does."""
    existing = list(session.scalars(select(Member).where(Member.conversation_id == conversation_id)).all())
    by_key = {m.source_key: m for m in existing if m.source_key}
    resolved = {key: by_key[key].id for key in speakers if key in by_key}
    new_voices = {k: s.voiceprint for k, s in speakers.items() if k not in resolved and s.voiceprint}
    known_voices = {m.id: m.voiceprint for m in existing if m.voiceprint}
    resolved.update(match_voiceprints(new_voices, known_voices))
    position = max((m.position for m in existing), default=0)
    voice_count = sum(1 for m in existing if m.voiceprint)
    unnamed = {
        k: s.voiceprint for k, s in speakers.items() if k not in resolved and s.voiceprint and not s.name
    }
    people = identify(session, library_app, unnamed) if library_app else {}
    for key, spec in speakers.items():
        if key in resolved:
            continue
        position += 1
        if key in people:
            person = people[key]
            spec = SpeakerSpec(key, person.name, person.email, person.user_id, spec.voiceprint)
        name = spec.name
        if not name:
            voice_count += 1
            name = f"Speaker {voice_count}"
        member = Member(
            id=uuid_id(),
            conversation_id=conversation_id,
            name=name,
            email=spec.email,
            user_id=spec.user_id,
            source_key=key,
            voiceprint=list(spec.voiceprint) if spec.voiceprint else None,
            position=position,
        )
        session.add(member)
        resolved[key] = member.id
    return resolved


def _extend_conversation_times(conversation: Conversation, job: Job, output: JobOutput) -> None:
    """A text job may move the conversation's start earlier (its messages carry their own times); a
    media job places its recording on the timeline and extends the end to the recording's end."""
    starts = [as_utc(m.start) for m in output.messages if m.start]
    ends = [as_utc(m.end) for m in output.messages if m.end]
    if starts and not conversation.media_seconds and as_utc(conversation.start_time) > min(starts):
        conversation.start_time = min(starts)
    if output.media_offset is not None:
        job.media_offset, job.media_duration = output.media_offset, output.media_seconds
        # Set, not added: a re-run of the job after a crash places the same recording again.
        conversation.media_seconds = output.media_offset + output.media_seconds
        ends.append(as_utc(conversation.start_time) + timedelta(seconds=conversation.media_seconds))
    if ends:
        latest = max(ends)
        if conversation.end_time is None or as_utc(conversation.end_time) < latest:
            conversation.end_time = latest
