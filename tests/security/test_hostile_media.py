"""Hostile uploads: what is cheap to know answers 400 at submit and stores nothing; the rest ends the
job `failed` with a clear message within a time bound, and the worker goes on with the next job."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.fixtures import hostile_media as hostile
from tests.fixtures.api import get_token, wait_for_job
from tests.fixtures.paths import SHARED_DATA
from tests.fixtures.records import stored

JOB_TIME_BOUND = 60.0


@pytest.fixture(scope="module")
def auth(media_client: TestClient) -> dict[str, str]:
    # The root conftest's `auth` is a key for another app.
    return {"x-api-key": get_token(media_client)}


def upload(client: TestClient, auth: dict[str, str], body: bytes, content_type: str) -> Any:
    return client.post("/v1/process/audio", content=body, headers={**auth, "Content-Type": content_type})


CHEAP: dict[str, tuple[Callable[[Path], bytes], str, str]] = {
    "zero-length": (lambda _: b"", "audio/mpeg", "empty"),
    "random bytes": (lambda _: hostile.random_bytes(), "audio/mpeg", "not a readable audio or video file"),
    "text named .mp3": (lambda _: hostile.text_file(), "audio/mpeg", "not a readable audio or video file"),
    "wrong content type": (
        lambda _: (SHARED_DATA / "jfk.flac").read_bytes(),
        "text/plain",
        "Unsupported Content-Type",
    ),
    "WAV claiming 65535 channels": (
        lambda _: hostile.wav_claiming(1000, channels=65535),
        "audio/wav",
        "empty",
    ),
    "WAV claiming a zero sample rate": (
        lambda _: hostile.wav_claiming(32000, rate=0),
        "audio/wav",
        "not a readable",
    ),
    "MP4 box of 16 EiB": (lambda _: hostile.mp4_with_absurd_box(), "video/mp4", "not a readable"),
    "FLAC whose header claims 1193 hours": (
        lambda tmp: hostile.silent_flac(tmp / "x.flac", 5, total_samples=2**36 - 1),
        "audio/flac",
        "longer than the limit",
    ),
    "FLAC bomb: 2 minutes of silence in 28 KB, length unknown": (
        lambda tmp: hostile.silent_flac(tmp / "x.flac", 120, total_samples=0),
        "audio/flac",
        "longer than the limit",
    ),
    "MP3 repeated past the limit": (
        lambda _: (SHARED_DATA / "hotwords.mp3").read_bytes() * 12,
        "audio/mpeg",
        "longer than the limit",
    ),
}


@pytest.mark.parametrize("name", list(CHEAP))
def test_cheap_to_know_is_400_at_submit_and_stores_nothing(
    media_client: TestClient, auth: dict[str, str], tmp_path: Path, name: str
) -> None:
    make, content_type, message = CHEAP[name]
    before = stored(media_client)
    response = upload(media_client, auth, make(tmp_path), content_type)
    assert response.status_code == 400, response.text
    assert message in response.json()["message"]
    assert stored(media_client) == before


DEEP: dict[str, tuple[Callable[[Path], bytes], str, str]] = {
    "truncated MP3": (lambda _: hostile.truncated_mp3(), "audio/mpeg", "truncated or damaged"),
    "FLAC whose header says 5 s but holds 2 minutes": (
        lambda tmp: hostile.silent_flac(tmp / "x.flac", 120, total_samples=16000 * 5),
        "audio/flac",
        "longer than the limit",
    ),
}


@pytest.mark.parametrize("name", list(DEEP))
def test_only_decoding_can_tell_so_the_job_fails_with_a_message(
    media_client: TestClient, auth: dict[str, str], tmp_path: Path, name: str
) -> None:
    make, content_type, message = DEEP[name]
    response = upload(media_client, auth, make(tmp_path), content_type)
    assert response.status_code == 201, response.text
    started = time.monotonic()
    job = wait_for_job(media_client, response.json()["jobId"], auth, timeout=JOB_TIME_BOUND)
    assert time.monotonic() - started < JOB_TIME_BOUND
    assert job["status"] == "failed" and message in job["message"], job


def test_a_huge_header_is_not_believed(media_client: TestClient, auth: dict[str, str]) -> None:
    """A WAV header claiming 4 GiB of audio over 1 s of silence: read as the 1 s it holds."""
    response = upload(media_client, auth, hostile.wav_claiming(0xFFFFFFF0), "audio/wav")
    assert response.status_code == 201, response.text
    job = wait_for_job(media_client, response.json()["jobId"], auth, timeout=JOB_TIME_BOUND)
    assert job["status"] in ("completed", "failed")


@pytest.mark.slow
def test_the_worker_goes_on_after_hostile_jobs(
    media_client: TestClient, auth: dict[str, str], tmp_path: Path
) -> None:
    bad = [upload(media_client, auth, make(tmp_path), kind) for make, kind, _ in DEEP.values()]
    good = upload(media_client, auth, (SHARED_DATA / "hotwords.mp3").read_bytes(), "audio/mpeg")
    assert good.status_code == 201 and all(r.status_code == 201 for r in bad)
    assert wait_for_job(media_client, good.json()["jobId"], auth)["status"] == "completed"
    for response in bad:
        assert wait_for_job(media_client, response.json()["jobId"], auth)["status"] == "failed"
