"""Over-long strings and lists, and media over the duration limit: 400 with a clear message, nothing
stored from the rejected request."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from convoscope.api.app import create_app
from tests.fixtures.api import get_token, text_body
from tests.fixtures.paths import SHARED_DATA
from tests.fixtures.records import stored
from tests.fixtures.settings import make_settings

LONG_URL = "http://example.com/" + "a" * 2000
TEXT = "/v1/process/text"
AUDIO_URL = "/v1/process/audio/url"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    settings = make_settings(
        tmp_path_factory.mktemp("limits") / "data", server={"run_worker": False}, limits={"media_seconds": 5}
    )
    with TestClient(create_app(settings)) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def auth(client: TestClient) -> dict[str, str]:
    return {"x-api-key": get_token(client)}


@pytest.fixture(scope="module")
def conversation(client: TestClient, auth: dict[str, str]) -> str:
    response = client.post(TEXT, json=text_body("Hello.", sender={"name": "Ann"}), headers=auth)
    assert response.status_code == 201
    return str(response.json()["conversationId"])


SUBMITS: list[tuple[str, str, dict[str, Any], str]] = [
    ("name", TEXT, text_body("Hi.", name="n" * 501), '"name" must be at most 500 characters'),
    (
        "sender name",
        TEXT,
        text_body("Hi.", sender={"name": "n" * 321}),
        '"messages[0].from.name" must be at most 320 characters',
    ),
    (
        "tracker name",
        TEXT,
        text_body("Hi.", trackers=[{"name": "t" * 201, "vocabulary": ["price"]}]),
        '"trackers[].name" must be at most 200 characters',
    ),
    (
        "tracker phrase",
        TEXT,
        text_body("Hi.", trackers=[{"name": "Price", "vocabulary": ["p" * 501]}]),
        '"trackers[].vocabulary" items must be at most 500 characters',
    ),
    (
        "number of trackers",
        TEXT,
        text_body("Hi.", trackers=[{"name": f"t{i}", "vocabulary": ["x"]} for i in range(1001)]),
        '"trackers" must contain at most 1000 items',
    ),
    (
        "entity text",
        TEXT,
        text_body("Hi.", entities=[{"customType": "Product", "text": "e" * 501}]),
        '"entities[].text" must be at most 500 characters',
    ),
    ("webhook URL", TEXT, text_body("Hi.", webhookUrl=LONG_URL), '"webhookUrl" must be at most 2000'),
    ("media URL", AUDIO_URL, {"url": LONG_URL}, '"url" must be at most 2000 characters'),
    (
        "custom vocabulary term",
        AUDIO_URL,
        {"url": "http://example.com/a.mp3", "customVocabulary": ["v" * 501]},
        '"customVocabulary" items must be at most 500 characters',
    ),
    (
        "custom vocabulary size",
        AUDIO_URL,
        {"url": "http://example.com/a.mp3", "customVocabulary": [f"w{i}" for i in range(1001)]},
        '"customVocabulary" must contain at most 1000 items',
    ),
]


@pytest.mark.parametrize(("what", "path", "body", "message"), SUBMITS, ids=[s[0] for s in SUBMITS])
def test_over_long_submits_are_400_and_store_nothing(
    client: TestClient, auth: dict[str, str], what: str, path: str, body: dict[str, Any], message: str
) -> None:
    before = stored(client)
    response = client.post(path, json=body, headers=auth)
    assert response.status_code == 400, response.text
    assert message in response.json()["message"]
    assert stored(client) == before


@pytest.mark.parametrize(
    ("metadata", "message"),
    [
        ({"k": "v" * 129}, '"metadata.k" must be at most 128 characters'),
        ({"k" * 129: "v"}, '"metadata" keys must be at most 128 characters'),
    ],
)
def test_over_long_metadata_is_400_and_changes_nothing(
    client: TestClient, auth: dict[str, str], conversation: str, metadata: dict[str, str], message: str
) -> None:
    response = client.put(f"/v1/conversations/{conversation}", json={"metadata": metadata}, headers=auth)
    assert response.status_code == 400 and message in response.json()["message"]
    assert client.get(f"/v1/conversations/{conversation}", headers=auth).json()["metadata"] == {}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"id": "m", "name": "n" * 321}, '"name" must be at most 320 characters'),
        ({"id": "m", "name": "Ann", "email": "e" * 321}, '"email" must be at most 320 characters'),
    ],
)
def test_over_long_member_fields_are_400(
    client: TestClient, auth: dict[str, str], conversation: str, body: dict[str, str], message: str
) -> None:
    response = client.put(f"/v1/conversations/{conversation}/members/m", json=body, headers=auth)
    assert response.status_code == 400 and message in response.json()["message"]


def test_media_longer_than_the_limit_is_400_at_submit(client: TestClient, auth: dict[str, str]) -> None:
    before = stored(client)
    body = (SHARED_DATA / "jfk.flac").read_bytes()  # 11 s, the limit is 5 s
    response = client.post("/v1/process/audio", content=body, headers={**auth, "Content-Type": "audio/flac"})
    assert response.status_code == 400
    assert "longer than the limit of 0:00:05" in response.json()["message"]
    assert stored(client) == before


def test_nothing_is_left_in_the_media_dir(client: TestClient) -> None:
    media_dir: Path = client.app.state.services.settings.media_dir  # type: ignore[attr-defined]
    assert not media_dir.exists() or list(media_dir.iterdir()) == []
