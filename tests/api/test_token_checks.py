"""A token's verified claims are remembered per process, its revocation and expiry never: two API
processes on one database (as when scaled out) refuse a token revoked or expired through either of
them on the very next request, on the polled routes and the others alike."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import jwt
from fastapi.testclient import TestClient

from convoscope import api_keys
from convoscope.api.app import create_app
from convoscope.auth import token_digest
from convoscope.services import Services
from convoscope.tables import AccessToken
from tests.fixtures.api import get_token, text_body, wait_for_job
from tests.fixtures.settings import APP_ID, APP_SECRET, make_settings


@contextmanager
def two_processes(data_dir: Path) -> Iterator[tuple[TestClient, TestClient]]:
    """Two apps on one database and signing key; only the first runs the worker."""
    first = TestClient(create_app(make_settings(data_dir)))
    second = TestClient(create_app(make_settings(data_dir, server={"run_worker": False})))
    with first, second:
        yield first, second


def services_of(client: TestClient) -> Services:
    services: Services = client.app.state.services  # type: ignore[attr-defined]
    return services


def polled(client: TestClient, headers: dict[str, str]) -> list[str]:
    """The paths a client polls (a job's status, its conversation) and one other authenticated GET."""
    submitted = client.post("/v1/process/text", json=text_body("Call me tomorrow."), headers=headers)
    assert submitted.status_code == 201, submitted.text
    ids = submitted.json()
    wait_for_job(client, ids["jobId"], headers)
    return [f"/v1/job/{ids['jobId']}", f"/v1/conversations/{ids['conversationId']}", "/v1/conversations"]


def codes(client: TestClient, paths: list[str], headers: dict[str, str]) -> list[int]:
    return [client.get(path, headers=headers).status_code for path in paths]


def test_a_token_revoked_through_one_process_is_refused_by_the_other_at_once(tmp_path: Path) -> None:
    with two_processes(tmp_path / "data") as (first, second):
        headers = {"Authorization": f"Bearer {get_token(first)}"}
        paths = polled(first, headers)
        assert codes(second, paths, headers) == [200, 200, 200]  # the second has verified it now
        revoked = first.request(
            "DELETE", "/oauth2/token:revoke", json={"appId": APP_ID, "appSecret": APP_SECRET}
        )
        assert revoked.status_code == 200
        assert codes(second, paths, headers) == [401, 401, 401]
        assert codes(first, paths, headers) == [401, 401, 401]


def test_a_refreshed_token_is_refused_by_the_other_process_at_once(tmp_path: Path) -> None:
    credentials = {"appId": APP_ID, "appSecret": APP_SECRET}
    with two_processes(tmp_path / "data") as (first, second):
        issued = first.post("/oauth2/token:generate", json={"type": "application", **credentials}).json()
        old = {"Authorization": f"Bearer {issued['accessToken']}"}
        paths = polled(first, old)
        assert codes(second, paths, old) == [200, 200, 200]
        refreshed = first.post(
            "/oauth2/token:refresh", json={**credentials, "refreshToken": issued["refreshToken"]}
        )
        assert refreshed.status_code == 200
        assert codes(second, paths, old) == [401, 401, 401]
        new = {"Authorization": f"Bearer {refreshed.json()['accessToken']}"}
        assert codes(second, paths, new) == [200, 200, 200]


def test_a_key_revoked_through_one_process_is_refused_by_the_other_at_once(tmp_path: Path) -> None:
    with two_processes(tmp_path / "data") as (first, second):
        with services_of(first).db.session() as session:
            key = api_keys.create_key(session, APP_ID)
        headers = {"x-api-key": key.key}
        paths = polled(first, headers)
        assert codes(second, paths, headers) == [200, 200, 200]
        with services_of(first).db.session() as session:
            api_keys.revoke_key(session, key.id)
        assert codes(second, paths, headers) == [401, 401, 401]


def test_a_remembered_token_is_refused_once_it_expires(client: TestClient) -> None:
    """A token whose claims the process remembers still expires on its `exp` second."""
    services = services_of(client)
    paths = polled(client, {"Authorization": f"Bearer {get_token(client)}"})
    issued = datetime.now(UTC).replace(microsecond=0)
    expires = issued + timedelta(seconds=2)
    claims = {"sub": APP_ID, "jti": "short-lived", "iat": issued, "exp": expires, "iss": "convoscope"}
    token = jwt.encode({**claims, "typ": "access"}, services.signing_key, algorithm="HS256")
    with services.db.session() as session:
        session.add(
            AccessToken(
                id="short-lived",
                app_id=APP_ID,
                token_hash=token_digest(token),
                issued_at=issued,
                expires_at=expires,
            )
        )
    headers = {"Authorization": f"Bearer {token}"}
    assert codes(client, paths, headers) == [200, 200, 200]
    time.sleep(max(0.0, expires.timestamp() - time.time()) + 0.05)
    assert codes(client, paths, headers) == [401, 401, 401]


def test_a_token_without_its_row_is_refused_though_its_claims_are_remembered(client: TestClient) -> None:
    """The row is read on every request: a token whose row is gone (its app deleted) stops working."""
    token = get_token(client)
    headers = {"Authorization": f"Bearer {token}"}
    paths = polled(client, headers)
    assert codes(client, paths, headers) == [200, 200, 200]
    with services_of(client).db.session() as session:
        session.query(AccessToken).filter(AccessToken.token_hash == token_digest(token)).delete()
    assert codes(client, paths, headers) == [401, 401, 401]
