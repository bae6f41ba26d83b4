"""Bad requests to the OpenAI-compatible speech API: each answers OpenAI's error shape with the right
status, raises the official client's matching exception, and stores nothing.

The server runs no worker (no model is loaded): what is checked here is refused before a job runs,
or a job nobody runs (the wait runs out). It is configured with the English-only `tiny.en` and small
limits.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import openai
import pytest
from sqlalchemy import func, select

from convoscope import api_keys
from convoscope.services import Services
from convoscope.tables import Conversation, Job
from tests.fixtures.hostile_media import text_file
from tests.fixtures.paths import SHARED_DATA
from tests.fixtures.servers import LiveServer
from tests.fixtures.settings import make_settings

JFK = SHARED_DATA / "jfk.flac"  # 1.15 MB: over this server's limit
HOTWORDS = SHARED_DATA / "hotwords.mp3"  # 4 s, 65 kB
GERMAN = Path(__file__).parent / "data" / "german_license.mp3"  # 30 s: over this server's limit


@pytest.fixture(scope="module")
def server(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    settings = make_settings(
        tmp_path_factory.mktemp("openai-errors"),
        server={"run_worker": False},
        asr={"model": "tiny.en"},
        openai={"max_bytes": 300_000, "max_seconds": 20, "wait_seconds": 1.5},
        limits={"concurrent_jobs": 1},
    )
    with LiveServer(settings) as live:
        yield live


def services_of(server: LiveServer) -> Services:
    services: Services = server.server.config.app.state.services
    return services


@pytest.fixture(scope="module")
def key(server: LiveServer) -> str:
    with services_of(server).db.session() as session:
        return api_keys.create_key(session, "test-app").key


@pytest.fixture
def client(server: LiveServer, key: str) -> Iterator[openai.OpenAI]:
    """A client, and after the test: nothing stored, no media file left."""
    yield openai.OpenAI(api_key=key, base_url=f"{server.url}/v1", max_retries=0)
    services = services_of(server)
    with services.db.session() as session:
        assert session.scalar(select(func.count()).select_from(Conversation)) == 0
        assert session.scalar(select(func.count()).select_from(Job)) == 0
    media = services.settings.media_dir
    assert not media.exists() or list(media.iterdir()) == []


def error_of(raised: pytest.ExceptionInfo[Any]) -> dict[str, Any]:
    body = raised.value.response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"message", "type", "param", "code"}
    error: dict[str, Any] = body["error"]
    return error


def create(client: openai.OpenAI, path: Path = HOTWORDS, **options: Any) -> Any:
    with path.open("rb") as audio:
        return client.audio.transcriptions.create(file=audio, **{"model": "whisper-1", **options})


@pytest.mark.parametrize(
    ("options", "param"),
    [
        ({"model": "gpt-5"}, "model"),
        ({"model": "large-v3"}, "model"),
        ({"response_format": "xml"}, "response_format"),
        ({"response_format": "diarized_json"}, "response_format"),
        ({"temperature": 1.5}, "temperature"),
        ({"temperature": -0.1}, "temperature"),
        ({"language": "klingon"}, "language"),
        ({"language": "de"}, "language"),  # the configured tiny.en is English-only
        ({"timestamp_granularities": ["word"]}, "timestamp_granularities"),  # needs verbose_json
        ({"response_format": "verbose_json", "timestamp_granularities": ["char"]}, "timestamp_granularities"),
    ],
)
def test_bad_parameters_are_400_naming_the_parameter(
    client: openai.OpenAI, options: dict[str, Any], param: str
) -> None:
    with pytest.raises(openai.BadRequestError) as raised:
        create(client, **options)
    error = error_of(raised)
    assert error["type"] == "invalid_request_error" and error["param"] == param
    assert raised.value.status_code == 400 and error["message"]


@pytest.mark.filterwarnings("ignore:deprecated:DeprecationWarning")  # the client's note on whisper-1
def test_translation_with_an_english_only_model_is_a_clear_400(client: openai.OpenAI) -> None:
    with HOTWORDS.open("rb") as audio, pytest.raises(openai.BadRequestError) as raised:
        client.audio.translations.create(file=audio, model="whisper-1")
    error = error_of(raised)
    assert error["param"] == "model" and "multilingual" in error["message"]


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("notes.txt", text_file(), "Invalid file format"),
        ("empty.wav", b"", "empty"),
        ("noise.mp3", bytes(range(256)) * 64, "Invalid file format"),
    ],
)
def test_bad_files_are_400(client: openai.OpenAI, name: str, content: bytes, expected: str) -> None:
    with pytest.raises(openai.BadRequestError) as raised:
        client.audio.transcriptions.create(file=(name, content), model="whisper-1")
    error = error_of(raised)
    assert error["param"] == "file" and expected in error["message"]


def test_a_very_long_file_name_is_no_problem(client: openai.OpenAI) -> None:
    """The name (kept conversations are named after it) is cut, not refused: the request gets as far
    as waiting for a worker."""
    with pytest.raises(openai.InternalServerError) as raised:
        client.audio.transcriptions.create(
            file=("x" * 1000 + ".mp3", HOTWORDS.read_bytes()), model="whisper-1"
        )
    assert raised.value.status_code == 504


def test_a_file_over_the_size_limit_is_413(client: openai.OpenAI) -> None:
    with pytest.raises(openai.APIStatusError) as raised:
        create(client, JFK)
    assert raised.value.status_code == 413 and "300000 bytes" in error_of(raised)["message"]


def test_audio_over_the_duration_limit_is_400(client: openai.OpenAI) -> None:
    with pytest.raises(openai.BadRequestError) as raised:
        create(client, GERMAN)
    error = error_of(raised)
    assert error["param"] == "file" and error["code"] == "audio_too_long"


def test_requests_that_are_not_a_form_with_a_file(
    server: LiveServer, key: str, client: openai.OpenAI
) -> None:
    url, auth = f"{server.url}/v1/audio/transcriptions", {"Authorization": f"Bearer {key}"}
    cases = [
        httpx.post(url, headers=auth, json={"model": "whisper-1"}),
        httpx.post(url, headers=auth, data={"model": "whisper-1"}, files={"audio": ("a.mp3", b"x")}),
        httpx.post(url, headers=auth, files={"model": (None, "whisper-1")}),
        httpx.post(
            url,
            headers={**auth, "Content-Type": "multipart/form-data; boundary=xyz"},
            content=b'--xyz\r\nContent-Disposition: form-data; name="file"; filename="a.mp3"\r\n\r\nabc',
        ),
    ]
    for response in cases:
        assert response.status_code == 400, response.text
        assert response.json()["error"]["type"] == "invalid_request_error"
    assert cases[1].json()["error"]["param"] == "file"
    with HOTWORDS.open("rb") as audio:
        missing_model = httpx.post(url, headers=auth, files={"file": ("a.mp3", audio)})
    assert missing_model.status_code == 400 and missing_model.json()["error"]["param"] == "model"


def test_missing_wrong_and_revoked_keys_are_401(server: LiveServer, client: openai.OpenAI) -> None:
    with services_of(server).db.session() as session:
        revoked = api_keys.create_key(session, "test-app")
    with services_of(server).db.session() as session:
        api_keys.revoke_key(session, revoked.id)
    for key in ("cvs_not-a-key", "not-a-token", revoked.key):
        other = openai.OpenAI(api_key=key, base_url=f"{server.url}/v1", max_retries=0)
        with pytest.raises(openai.AuthenticationError) as raised:
            create(other)
        error = error_of(raised)
        assert error["code"] == "invalid_api_key" and error["type"] == "invalid_request_error"
    with HOTWORDS.open("rb") as audio:
        anonymous = httpx.post(
            f"{server.url}/v1/audio/transcriptions", files={"file": audio}, data={"model": "whisper-1"}
        )
    assert anonymous.status_code == 401 and anonymous.json()["error"]["code"] == "invalid_api_key"


def test_a_result_not_ready_in_time_is_504_and_the_request_dropped(client: openai.OpenAI) -> None:
    """No worker runs: the wait (1.5 s here) runs out, and the queued job is deleted with its upload."""
    with pytest.raises(openai.InternalServerError) as raised:
        create(client)
    assert raised.value.status_code == 504 and "not ready after 1.5 seconds" in error_of(raised)["message"]


def test_over_the_concurrent_jobs_limit_is_429(client: openai.OpenAI) -> None:
    """One job at a time for this app: while one request waits, another is refused."""
    outcome: list[int] = []

    def waiting() -> None:
        try:
            create(client)
        except openai.APIStatusError as exc:
            outcome.append(exc.status_code)

    first = threading.Thread(target=waiting)
    first.start()
    time.sleep(0.7)
    with pytest.raises(openai.RateLimitError) as raised:
        create(client)
    first.join()
    assert outcome == [504]
    error = error_of(raised)
    assert error["type"] == "requests" and error["code"] == "rate_limit_exceeded"
