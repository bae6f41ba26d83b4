"""The token endpoints under abuse: huge ids and secrets, guessing from one address, strangers trying
to lock an app's owner out, and `X-Forwarded-For` from whoever sends it."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from convoscope import secrets_store
from convoscope.api.app import create_app
from convoscope.ratelimit import SlidingWindow
from tests.fixtures.servers import LiveServer
from tests.fixtures.settings import APP_ID, APP_SECRET, make_settings

STRANGER = {"X-Forwarded-For": "198.51.100.7"}
OWNER = {"X-Forwarded-For": "203.0.113.9"}


def credentials(app_id: str = APP_ID, secret: str = APP_SECRET) -> dict[str, str]:
    return {"type": "application", "appId": app_id, "appSecret": secret}


@pytest.mark.parametrize("field, limit", [("appId", 128), ("appSecret", 1024), ("refreshToken", 4096)])
def test_huge_credentials_are_refused_and_nothing_is_kept(client: TestClient, field: str, limit: int) -> None:
    services = client.app.state.services  # type: ignore[attr-defined]
    for path in ("/oauth2/token:generate", "/oauth2/token:refresh"):
        if field == "refreshToken" and path.endswith("generate"):
            continue
        body = {**credentials(), "refreshToken": "x", field: "a" * (1024 * 1024)}
        response = client.post(path, json=body)
        assert response.status_code == 400, response.text
        assert response.json() == {"message": f'"{field}" must be at most {limit} characters long'}
    assert len(services.limits.token_failures) == 0 and len(services.limits.address_failures) == 0


def test_the_failure_limiter_forgets_the_oldest_keys_beyond_its_size() -> None:
    window = SlidingWindow(limit=2, window=300, max_keys=3)
    for key in ("a", "b", "c", "a", "d", "e"):
        window.hit(key)
    assert len(window) == 3
    assert window.hit("a") is False  # used recently: kept (two events now)
    assert window.allowed("b")  # the least recently used: forgotten


@pytest.fixture
def behind_proxy(tmp_path: Path) -> Iterator[httpx.Client]:
    """A live server that trusts `X-Forwarded-For` from loopback, as behind a local reverse proxy."""
    settings = make_settings(
        tmp_path / "data", server={"run_worker": False, "forwarded_allow_ips": ["127.0.0.1/32"]}
    )
    with LiveServer(settings) as server, httpx.Client(base_url=server.url, timeout=30) as http:
        yield http


def test_a_stranger_cannot_lock_the_owner_out(behind_proxy: httpx.Client) -> None:
    http = behind_proxy
    wrong = credentials(secret="guess")
    codes = [http.post("/oauth2/token:generate", json=wrong, headers=STRANGER).status_code for _ in range(11)]
    assert codes == [401] * 10 + [429]
    # The stranger is slowed down even with the right secret now...
    assert http.post("/oauth2/token:generate", json=credentials(), headers=STRANGER).status_code == 429
    # ...but the owner, from its own address, gets in, refreshes and revokes as before.
    issued = http.post("/oauth2/token:generate", json=credentials(), headers=OWNER)
    assert issued.status_code == 200, issued.text
    refresh = {**credentials(), "refreshToken": issued.json()["refreshToken"]}
    assert http.post("/oauth2/token:refresh", json=refresh, headers=OWNER).status_code == 200
    revoke = http.request("DELETE", "/oauth2/token:revoke", json=credentials(), headers=OWNER)
    assert revoke.status_code == 200
    for path, method in (("/oauth2/token:refresh", "POST"), ("/oauth2/token:revoke", "DELETE")):
        body = {**credentials(), "refreshToken": "x"}
        assert http.request(method, path, json=body, headers=STRANGER).status_code == 429


def test_one_address_guessing_many_apps_is_slowed_down(tmp_path: Path) -> None:
    settings = make_settings(tmp_path / "data", tokens={"address_failures_allowed": 3})
    with TestClient(create_app(settings)) as client:
        codes = [
            client.post("/oauth2/token:generate", json=credentials(f"app-{i}", "guess")).status_code
            for i in range(4)
        ]
        assert codes == [401, 401, 401, 429]
        assert client.post("/oauth2/token:generate", json=credentials()).status_code == 429


def test_forwarded_for_is_not_believed_by_default(tmp_path: Path) -> None:
    settings = make_settings(tmp_path / "data", server={"run_worker": False})
    with LiveServer(settings) as server, httpx.Client(base_url=server.url, timeout=30) as http:
        for _ in range(10):
            wrong = credentials(secret="guess")
            assert http.post("/oauth2/token:generate", json=wrong, headers=STRANGER).status_code == 401
        # Another X-Forwarded-For from the same connecting address changes nothing.
        right = http.post("/oauth2/token:generate", json=credentials(), headers=OWNER)
        assert right.status_code == 429


def test_a_client_cannot_choose_its_address_through_a_trusted_proxy(behind_proxy: httpx.Client) -> None:
    """The proxy appends the real address; what the client put in front of it is not believed."""
    http = behind_proxy
    for i in range(10):
        spoofed = {"X-Forwarded-For": f"192.0.2.{i}, 198.51.100.7"}
        assert (
            http.post("/oauth2/token:generate", json=credentials(secret="guess"), headers=spoofed).status_code
            == 401
        )
    again = {"X-Forwarded-For": "192.0.2.99, 198.51.100.7"}
    assert http.post("/oauth2/token:generate", json=credentials(), headers=again).status_code == 429


def test_an_unknown_app_costs_the_same_hashing_as_a_wrong_secret(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Equal work either way, so the answer's timing does not tell which app ids exist
    (`bench/security/web_probes.py timing` measures the times)."""
    client.post("/oauth2/token:generate", json=credentials("warm-up", "guess"))
    calls: list[int] = []
    real = hashlib.scrypt

    def counted(*args: Any, **kwargs: Any) -> bytes:
        calls.append(len(kwargs.get("salt", b"")))
        return real(*args, **kwargs)

    monkeypatch.setattr(secrets_store.hashlib, "scrypt", counted)
    for app_id in (APP_ID, "no-such-app"):
        calls.clear()
        response = client.post("/oauth2/token:generate", json=credentials(app_id, "guess"))
        assert response.status_code == 401
        assert response.json() == {"message": "Unauthorized: invalid appId or appSecret."}
        assert calls == [16], app_id
