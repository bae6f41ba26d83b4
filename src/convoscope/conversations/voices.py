"""The voice library of an app: enroll, list, rename, delete, and name a job's speakers by voice.

Voiceprints are biometric data. They are read here and in job storage only; what this module gives
the API (`VoiceInfo`) has no voiceprint. Every lookup is by app, so an app never sees, matches or
changes another app's voices: another app's voice id is as unknown as a made-up one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from convoscope.errors import BadRequest, MemberNotFound, NotFound
from convoscope.ids import uuid_id
from convoscope.pipeline.diarize.enroll import MODEL_NAME, name_speakers
from convoscope.pipeline.diarize.speaker_model import EMBEDDING_SIZE
from convoscope.tables import Conversation, Member, Voice
from convoscope.timeutil import utcnow

MAX_VOICES = 1000  # per app: a library is a team's people, and matching is linear in its size


class VoiceNotFound(NotFound):
    default_message = "The voiceId is either invalid or does not exist."


@dataclass(frozen=True)
class VoiceInfo:
    """What the API may show of a voice: never its voiceprint."""

    id: str
    name: str
    email: str | None
    user_id: str | None
    seconds: float
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, voice: Voice) -> VoiceInfo:
        return cls(
            voice.id,
            voice.name,
            voice.email,
            voice.user_id,
            voice.seconds,
            voice.created_at,
            voice.updated_at,
        )


@dataclass(frozen=True)
class Person:
    """Who a voice is: the name, and the optional email and user id a member takes from it."""

    name: str
    email: str | None = None
    user_id: str | None = None


def _own(session: Session, app_id: str, voice_id: str) -> Voice:
    voice = session.get(Voice, voice_id)
    if voice is None or voice.app_id != app_id:
        raise VoiceNotFound()
    return voice


def _add(
    session: Session,
    app_id: str,
    person: Person,
    voiceprint: Sequence[float],
    seconds: float,
    phone_voiceprint: Sequence[float] | None = None,
) -> Voice:
    count = len(session.scalars(select(Voice.id).where(Voice.app_id == app_id)).all())
    if count >= MAX_VOICES:
        raise BadRequest(f"The voice library holds {MAX_VOICES} voices, the most an app may have.")
    voice = Voice(
        id=uuid_id(),
        app_id=app_id,
        name=person.name,
        email=person.email,
        user_id=person.user_id,
        voiceprint=[float(v) for v in voiceprint],
        phone_voiceprint=None if phone_voiceprint is None else [float(v) for v in phone_voiceprint],
        model=MODEL_NAME,
        seconds=seconds,
    )
    session.add(voice)
    session.flush()
    return voice


def enroll_sample(
    session: Session,
    app_id: str,
    person: Person,
    voiceprint: Sequence[float],
    seconds: float,
    phone_voiceprint: Sequence[float] | None = None,
) -> VoiceInfo:
    """A new voice from the voiceprints of an uploaded sample (`enroll.sample_voiceprints`)."""
    return VoiceInfo.of(_add(session, app_id, person, voiceprint, seconds, phone_voiceprint))


def enroll_member(
    session: Session, app_id: str, conversation_id: str, member_id: str, person: Person | None
) -> VoiceInfo:
    """A new voice from a diarized member of one of the app's conversations; named after the
    member unless `person` says otherwise."""
    conversation = session.get(Conversation, conversation_id)
    if conversation is None or conversation.app_id != app_id:
        raise NotFound("The conversationId is either invalid or does not exist.")
    member = session.get(Member, member_id)
    if member is None or member.conversation_id != conversation_id:
        raise MemberNotFound()
    if not member.voiceprint:
        raise BadRequest("This member has no voice: only speakers found by diarization can be enrolled.")
    if len(member.voiceprint) != EMBEDDING_SIZE:
        raise BadRequest(
            "This member's voice was found by an earlier speaker model; process the recording again, "
            "or enroll from an audio sample."
        )
    who = person or Person(member.name, member.email, member.user_id)
    return VoiceInfo.of(_add(session, app_id, who, member.voiceprint, 0.0))


def list_voices(session: Session, app_id: str) -> list[VoiceInfo]:
    voices = session.scalars(select(Voice).where(Voice.app_id == app_id).order_by(Voice.created_at, Voice.id))
    return [VoiceInfo.of(v) for v in voices]


def get_voice(session: Session, app_id: str, voice_id: str) -> VoiceInfo:
    return VoiceInfo.of(_own(session, app_id, voice_id))


def update_voice(
    session: Session, app_id: str, voice_id: str, changes: Mapping[str, str | None]
) -> VoiceInfo:
    """Rename a voice, or change its email or user id (keys `name`, `email`, `user_id`)."""
    voice = _own(session, app_id, voice_id)
    if changes.get("name"):
        voice.name = str(changes["name"])
    if "email" in changes:
        voice.email = changes["email"]
    if "user_id" in changes:
        voice.user_id = changes["user_id"]
    voice.updated_at = utcnow()
    session.flush()
    return VoiceInfo.of(voice)


def delete_voice(session: Session, app_id: str, voice_id: str) -> None:
    """Delete a voice and its voiceprint. Members it named keep their name (not their link)."""
    session.delete(_own(session, app_id, voice_id))
    session.flush()


def _person_key(voice: Voice) -> str:
    """Voices of one person (the same email, else user id, else name) name speakers together."""
    if voice.email:
        return f"email:{voice.email.casefold()}"
    if voice.user_id:
        return f"user:{voice.user_id}"
    return f"name:{' '.join(voice.name.split()).casefold()}"


def identify(session: Session, app_id: str, speakers: Mapping[str, Sequence[float]]) -> dict[str, Person]:
    """Speaker key -> the library person whose voice it is, for the speakers named confidently.

    A person enrolled more than once (from several samples or members) is matched by their closest
    voiceprint and named after their most recently changed voice."""
    if not speakers:
        return {}
    voices = session.scalars(
        select(Voice)
        .where(Voice.app_id == app_id, Voice.model == MODEL_NAME)
        .order_by(Voice.updated_at, Voice.id)
    ).all()
    prints: dict[str, list[Sequence[float]]] = {}
    latest: dict[str, Voice] = {}
    for voice in voices:
        key = _person_key(voice)
        prints.setdefault(key, []).append(voice.voiceprint)
        if voice.phone_voiceprint:
            prints[key].append(voice.phone_voiceprint)
        latest[key] = voice
    matched = name_speakers(speakers, prints)
    return {
        label: Person(latest[key].name, latest[key].email, latest[key].user_id)
        for label, key in matched.items()
    }
