"""Transcriptions a caller waits for: when one counts as done, and what happens to requests that
are not kept (hidden from lists and search, deleted, swept up when abandoned)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from convoscope.conversations import transcriptions
from convoscope.conversations.queries import list_conversations
from convoscope.conversations.search import search_conversations
from convoscope.conversations.transcription_requests import TranscriptionRequest, symbl_language_code
from convoscope.services import Services, bootstrap_app
from convoscope.tables import Conversation, Job, JobStatus
from convoscope.timeutil import utcnow
from tests.fixtures.settings import APP_ID, make_settings


@pytest.fixture
def services(tmp_path: Path) -> Iterator[Services]:
    opened = Services.open(make_settings(tmp_path))
    bootstrap_app(opened)
    yield opened
    opened.close()


def submit(services: Services, keep: bool = False, name: str = "call.mp3") -> tuple[str, str, str]:
    key = services.media.new_key()
    services.media.root.mkdir(parents=True, exist_ok=True)
    services.media.path(key).write_bytes(b"audio")
    request = TranscriptionRequest(name=name, keep=keep)
    submission = transcriptions.submit_transcription(services, app_id=APP_ID, request=request, media_key=key)
    return submission.conversation_id, submission.job_id, key


def set_job(services: Services, job_id: str, **values: object) -> None:
    with services.db.session() as session:
        session.execute(update(Job).where(Job.id == job_id).values(**values))


def test_a_request_is_done_when_its_job_ends(services: Services) -> None:
    _, job_id, _ = submit(services)
    assert transcriptions.outcome(services.db, job_id, kept=False) is None
    set_job(services, job_id, status=JobStatus.IN_PROGRESS, result={"text": "hi"})
    assert transcriptions.outcome(services.db, job_id, kept=False) is None  # insights may still follow
    assert transcriptions.outcome(services.db, job_id, kept=True) == transcriptions.Outcome(
        True, {"text": "hi"}, None, None
    )
    set_job(services, job_id, status=JobStatus.FAILED, message="bad audio", result={"error": "invalid_media"})
    failed = transcriptions.outcome(services.db, job_id, kept=False)
    assert failed == transcriptions.Outcome(False, None, "bad audio", "invalid_media")


def test_a_deleted_request_reads_as_cancelled(services: Services) -> None:
    conversation_id, job_id, key = submit(services)
    transcriptions.discard(services, conversation_id)
    assert transcriptions.outcome(services.db, job_id, kept=False) == transcriptions.Outcome(
        False, None, "The request was cancelled.", "cancelled"
    )
    assert not services.media.path(key).exists()


def test_requests_not_kept_are_hidden_from_lists_and_search(services: Services) -> None:
    submit(services, keep=False, name="secret call.mp3")
    kept_id, _, _ = submit(services, keep=True, name="kept call.mp3")
    with services.db.session() as session:
        listed = list_conversations(
            session, APP_ID, limit=10, offset=0, descending=True, start=None, end=None
        )
        found, total = search_conversations(session, APP_ID, "call", limit=10, offset=0)
    assert [c.id for c in listed] == [kept_id]
    assert [hit.conversation.id for hit in found] == [kept_id] and total == 1


def test_abandoned_requests_are_swept_with_their_media(services: Services) -> None:
    old_id, _, old_key = submit(services)
    recent_id, _, recent_key = submit(services)
    kept_id, _, kept_key = submit(services, keep=True)
    with services.db.session() as session:
        session.execute(
            update(Conversation)
            .where(Conversation.id.in_([old_id, kept_id]))
            .values(created_at=utcnow() - timedelta(hours=1))
        )
    assert transcriptions.sweep_transient(services.db, services.media, timedelta(minutes=20)) == 1
    with services.db.session() as session:
        left = set(session.scalars(select(Conversation.id)).all())
        jobs = session.scalar(select(func.count()).select_from(Job))
    assert left == {recent_id, kept_id} and jobs == 2
    assert not services.media.path(old_key).exists()
    assert services.media.path(recent_key).exists() and services.media.path(kept_key).exists()


@pytest.mark.parametrize(
    ("temperature", "schedule"),
    [(0.0, None), (0.2, (0.2, 0.4, 0.6, 0.8, 1.0)), (0.5, (0.5, 0.7, 0.9)), (1.0, (1.0,))],
)
def test_temperature_schedules(temperature: float, schedule: tuple[float, ...] | None) -> None:
    assert TranscriptionRequest(temperature=temperature).temperatures == schedule


def test_kept_conversations_take_a_symbl_language_code() -> None:
    assert (
        symbl_language_code("de"),
        symbl_language_code("en"),
        symbl_language_code("sw"),
        symbl_language_code(None),
    ) == (
        "de-DE",
        "en-US",
        "en-US",
        "en-US",
    )
