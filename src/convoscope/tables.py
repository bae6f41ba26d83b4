"""Database tables (SQLAlchemy 2). Portable SQL only: the same schema runs on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from convoscope.timeutil import utcnow


class JobStatus(StrEnum):
    """Where a job stands. The Job API shows `scheduled` as `in_progress` (Symbl's clients stop polling
    on anything else); the extension `GET .../jobs` shows it as it is."""

    SCHEDULED = "scheduled"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    FAILED = "failed"


ACTIVE_STATUSES = (JobStatus.SCHEDULED, JobStatus.IN_PROGRESS)
FINAL_STATUSES = (JobStatus.COMPLETED, JobStatus.FAILED)


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        dict[str, Any]: JSON,
        list[Any]: JSON,
        datetime: DateTime(timezone=True),
    }


class App(Base):
    """A tenant: every conversation and job belongs to exactly one app."""

    __tablename__ = "apps"

    id: Mapped[str] = mapped_column(String(128), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    secret_hash: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Touched by every submit so concurrent submits of one app serialise on this row (job limit).
    last_submit_at: Mapped[datetime | None] = mapped_column(default=None)


class AccessToken(Base):
    __tablename__ = "access_tokens"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # the JWT `jti`
    app_id: Mapped[str] = mapped_column(ForeignKey("apps.id", ondelete="CASCADE"), index=True)
    # Only the token's SHA-256: a copy of the database lets nobody in. A token is high-entropy (signed),
    # so a fast hash is as safe as a slow one and is found by an index lookup.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)


class ApiKey(Base):
    """A long-lived key of an app (`convoscope apps keys create`): only its SHA-256 is stored."""

    __tablename__ = "api_keys"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)  # public: names the key in list/revoke
    app_id: Mapped[str] = mapped_column(ForeignKey("apps.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    hint: Mapped[str] = mapped_column(String(32))  # the key's first characters, to tell keys apart
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime | None] = mapped_column(default=None)
    last_used_at: Mapped[datetime | None] = mapped_column(default=None)
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)


# The type of a conversation made only to carry one request that is not kept (an OpenAI-style
# transcription): left out of lists and search, deleted once the request is answered.
TRANSIENT_CONVERSATION = "transient"


class Conversation(Base):
    __tablename__ = "conversations"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    app_id: Mapped[str] = mapped_column(ForeignKey("apps.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(500))
    type: Mapped[str] = mapped_column(String(32), default="meeting")
    start_time: Mapped[datetime]
    end_time: Mapped[datetime | None] = mapped_column(default=None)
    # Seconds of media already in the conversation: appended media continues from here.
    media_seconds: Mapped[float] = mapped_column(Float, default=0.0)
    language: Mapped[str] = mapped_column(String(16), default="en-US")
    meta: Mapped[dict[str, Any]] = mapped_column("metadata", JSON, default=dict)
    # Options that shape the insights (trackers, entities, threshold, summary...), merged over jobs.
    insight_options: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (Index("ix_conversations_app_start", "app_id", "start_time"),)


class Member(Base):
    __tablename__ = "members"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    conversation_id: Mapped[str] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(500))
    email: Mapped[str | None] = mapped_column(String(320), default=None)
    user_id: Mapped[str | None] = mapped_column(String(320), default=None)
    # Where the member came from: a text `from`, a channel, a diarization label; used to reuse members.
    source_key: Mapped[str | None] = mapped_column(String(200), default=None)
    voiceprint: Mapped[list[Any] | None] = mapped_column(JSON, default=None)
    position: Mapped[int] = mapped_column(Integer, default=0)


class Message(Base):
    __tablename__ = "messages"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id", ondelete="CASCADE"))
    job_id: Mapped[str] = mapped_column(String(64), index=True)
    position: Mapped[int] = mapped_column(Integer)
    member_id: Mapped[str | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"), default=None)
    text: Mapped[str] = mapped_column(Text)
    start_time: Mapped[datetime | None] = mapped_column(default=None)
    end_time: Mapped[datetime | None] = mapped_column(default=None)
    words: Mapped[list[Any] | None] = mapped_column(JSON, default=None)
    # The personal data found in `text` when the job stored the message: `{"spans": [{kind, start,
    # end, value}], "identified": bool, "redacted": bool}` (`conversations.pii`); None for messages
    # stored before it was looked for.
    pii: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)

    __table_args__ = (Index("ix_messages_conversation_position", "conversation_id", "position"),)


class Overlap(Base):
    """Overlapped speech that diarization found: `other_member_id` talks while `member_id` holds the
    floor. Seconds on the conversation's media timeline, like the words' `start`/`end`; replaced with
    its job's messages on a re-run."""

    __tablename__ = "speech_overlaps"  # not "overlaps": a reserved word in PostgreSQL

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    conversation_id: Mapped[str] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    job_id: Mapped[str] = mapped_column(String(64), index=True)
    member_id: Mapped[str] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    other_member_id: Mapped[str] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    start_seconds: Mapped[float] = mapped_column(Float)
    end_seconds: Mapped[float] = mapped_column(Float)


class Job(Base):
    __tablename__ = "jobs"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    app_id: Mapped[str] = mapped_column(ForeignKey("apps.id", ondelete="CASCADE"), index=True)
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id", ondelete="CASCADE"))
    # Order of submission within the conversation: jobs of one conversation run strictly in this order.
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))  # text | audio | video
    status: Mapped[str] = mapped_column(String(16), default=JobStatus.SCHEDULED, index=True)
    message: Mapped[str | None] = mapped_column(Text, default=None)
    request: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    media_path: Mapped[str | None] = mapped_column(String(1000), default=None)
    # What a job returns to a caller waiting for it (a transcription's document), or why it failed
    # (`{"error": code}`); None for the other jobs, whose results are the conversation's rows.
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    webhook_url: Mapped[str | None] = mapped_column(String(2000), default=None)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    worker_id: Mapped[str | None] = mapped_column(String(200), default=None)
    lease_until: Mapped[datetime | None] = mapped_column(default=None)
    # Last time the job id was put on the queue; lets the reaper re-enqueue ids a lost queue dropped.
    enqueued_at: Mapped[datetime | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(default=None)
    finished_at: Mapped[datetime | None] = mapped_column(default=None)
    # A media job's recording on the conversation's timeline: it starts `media_offset` seconds after
    # the conversation's start (where the previous media ended) and lasts `media_duration` seconds.
    media_offset: Mapped[float | None] = mapped_column(Float, default=None)
    media_duration: Mapped[float | None] = mapped_column(Float, default=None)
    media_bytes: Mapped[int | None] = mapped_column(BigInteger, default=None)  # the stored media's size

    __table_args__ = (UniqueConstraint("conversation_id", "position", name="uq_jobs_conversation_position"),)


class Voice(Base):
    """A named voice of an app's voice library; diarized jobs of the app label matching speakers.

    The voiceprint is biometric data: it never leaves the server (no route returns it) and goes
    with the voice, or with the app (cascade).
    """

    __tablename__ = "voices"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    app_id: Mapped[str] = mapped_column(ForeignKey("apps.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(500))
    email: Mapped[str | None] = mapped_column(String(320), default=None)
    user_id: Mapped[str | None] = mapped_column(String(320), default=None)
    voiceprint: Mapped[list[Any]] = mapped_column(JSON)
    # a sample's voice heard through a phone line (8 kHz): a wideband sample alone names people on
    # telephone-band calls poorly; None for voices enrolled from a conversation member
    phone_voiceprint: Mapped[list[Any] | None] = mapped_column(JSON, default=None)
    model: Mapped[str] = mapped_column(String(32))  # the speaker model that made the voiceprint
    seconds: Mapped[float] = mapped_column(Float, default=0.0)  # speech it was enrolled from
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class InsightSet(Base):
    """Every insight of one conversation, recomputed after each job and stored as one JSON document."""

    __tablename__ = "insight_sets"

    conversation_id: Mapped[str] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), primary_key=True
    )
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    computed_at: Mapped[datetime] = mapped_column(default=utcnow)


class WorkerBeat(Base):
    """A live worker process: its heartbeat tells `/readyz` and operators that jobs are being run."""

    __tablename__ = "workers"

    id: Mapped[str] = mapped_column(String(200), primary_key=True)  # host:pid:random, as in jobs.worker_id
    host: Mapped[str] = mapped_column(String(200))
    pid: Mapped[int] = mapped_column(Integer)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    beat_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
