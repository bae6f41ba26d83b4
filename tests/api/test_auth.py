from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import jwt
from fastapi.testclient import TestClient

from convoscope.api.app import create_app
from convoscope.config import Settings
from convoscope.tables import App
from tests.fixtures.api import get_token
from tests.fixtures.settings import APP_ID, APP_SECRET, make_settings

BAD_TOKEN = {"message": "Token validation failed for provided token."}


def test_token_generate_returns_numeric_lifetime_and_reuses_valid_token(client: TestClient) -> None:
    first = client.post(
        "/oauth2/token:generate", json={"type": "application", "appId": APP_ID, "appSecret": APP_SECRET}
    )
    assert first.status_code == 200
    body = first.json()
    assert isinstance(body["expiresIn"], int) and 86000 < body["expiresIn"] <= 86400
    again = client.post(
        "/oauth2/token:generate", json={"type": "application", "appId": APP_ID, "appSecret": APP_SECRET}
    )
    assert again.json()["accessToken"] == body["accessToken"]
    assert again.json()["expiresIn"] <= body["expiresIn"]


def test_bad_secret_and_unknown_app_are_401(client: TestClient) -> None:
    for app_id, secret in ((APP_ID, "wrong"), ("nobody", APP_SECRET)):
        response = client.post(
            "/oauth2/token:generate", json={"type": "application", "appId": app_id, "appSecret": secret}
        )
        assert response.status_code == 401
        assert "message" in response.json()


def test_token_request_validation(client: TestClient) -> None:
    assert (
        client.post("/oauth2/token:generate", json={"appId": APP_ID, "appSecret": APP_SECRET}).status_code
        == 400
    )
    assert client.post("/oauth2/token:generate", content=b"not json").status_code == 400
    assert client.post("/oauth2/token:generate", json=["a"]).status_code == 400


def test_both_auth_headers_are_accepted(client: TestClient) -> None:
    token = get_token(client)
    for headers in (
        {"Authorization": f"Bearer {token}"},
        {"x-api-key": token},
        {"x-api-key": f"Bearer {token}"},
    ):
        response = client.get("/v1/conversations", headers=headers)
        assert response.status_code == 200, headers


def test_missing_bad_and_tampered_tokens_are_401(client: TestClient) -> None:
    token = get_token(client)
    header, payload, signature = token.split(".")
    tampered = f"{header}.{payload}.{signature[:-2]}AA"
    for headers in (
        {},
        {"x-api-key": "nonsense"},
        {"Authorization": f"Bearer {tampered}"},
        {"Authorization": token},
    ):
        response = client.get("/v1/conversations", headers=headers)
        assert response.status_code == 401
        assert response.json() == BAD_TOKEN


def test_expired_token_is_refused(client: TestClient, settings: Settings) -> None:
    key = (settings.data_dir / "token_secret").read_text().strip()
    past = datetime.now(UTC) - timedelta(hours=2)
    expired = jwt.encode(
        {"sub": APP_ID, "jti": "x", "iat": past, "exp": past + timedelta(hours=1), "iss": "convoscope"},
        key,
        algorithm="HS256",
    )
    response = client.get("/v1/conversations", headers={"Authorization": f"Bearer {expired}"})
    assert response.status_code == 401
    assert response.json() == BAD_TOKEN


def test_unsigned_token_is_refused(client: TestClient) -> None:
    forged = jwt.encode(
        {"sub": APP_ID, "jti": "x", "exp": 4102444800, "iss": "convoscope"}, None, algorithm="none"
    )
    response = client.get("/v1/conversations", headers={"Authorization": f"Bearer {forged}"})
    assert response.status_code == 401


def test_refresh_gives_a_new_token_and_retires_the_old_one(client: TestClient) -> None:
    credentials = {"appId": APP_ID, "appSecret": APP_SECRET}
    issued = client.post("/oauth2/token:generate", json={"type": "application", **credentials}).json()
    refreshed = client.post(
        "/oauth2/token:refresh", json={**credentials, "refreshToken": issued["refreshToken"]}
    )
    assert refreshed.status_code == 200
    new = refreshed.json()
    assert new["accessToken"] != issued["accessToken"] and isinstance(new["expiresIn"], int)
    assert client.get("/v1/conversations", headers={"x-api-key": new["accessToken"]}).status_code == 200
    assert client.get("/v1/conversations", headers={"x-api-key": issued["accessToken"]}).status_code == 401
    reused = client.post(
        "/oauth2/token:refresh", json={**credentials, "refreshToken": issued["refreshToken"]}
    )
    assert reused.status_code == 401
    # A refresh token is not an access token.
    assert client.get("/v1/conversations", headers={"x-api-key": new["refreshToken"]}).status_code == 401
    wrong = client.post("/oauth2/token:refresh", json={**credentials, "refreshToken": "garbage"})
    assert wrong.status_code == 401


def test_revoke_ends_every_token_of_the_app(client: TestClient) -> None:
    token = get_token(client)
    response = client.request(
        "DELETE", "/oauth2/token:revoke", json={"appId": APP_ID, "appSecret": APP_SECRET}
    )
    assert response.status_code == 200 and "message" in response.json()
    assert client.get("/v1/conversations", headers={"x-api-key": token}).status_code == 401
    assert get_token(client) != token
    bad = client.request("DELETE", "/oauth2/token:revoke", json={"appId": APP_ID, "appSecret": "nope"})
    assert bad.status_code == 401


def test_secret_guessing_is_slowed_down(client: TestClient, settings: Settings) -> None:
    for _ in range(settings.tokens.failures_allowed):
        wrong = {"type": "application", "appId": APP_ID, "appSecret": "guess"}
        assert client.post("/oauth2/token:generate", json=wrong).status_code == 401
    blocked = client.post(
        "/oauth2/token:generate", json={"type": "application", "appId": APP_ID, "appSecret": "guess"}
    )
    assert blocked.status_code == 429
    assert int(blocked.headers["retry-after"]) >= 1
    # Even the right secret waits now: the window has to pass first.
    right = {"type": "application", "appId": APP_ID, "appSecret": APP_SECRET}
    assert client.post("/oauth2/token:generate", json=right).status_code == 429


def test_request_rate_per_app(tmp_path: Path) -> None:
    with TestClient(create_app(make_settings(tmp_path, limits={"requests_per_minute": 5}))) as client:
        headers = {"x-api-key": get_token(client)}
        codes = [client.get("/v1/conversations", headers=headers).status_code for _ in range(7)]
        assert codes[:5] == [200] * 5 and codes[5:] == [429, 429]


def test_secrets_are_stored_only_as_hashes(client: TestClient) -> None:
    services = client.app.state.services  # type: ignore[attr-defined]
    with services.db.session() as session:
        stored = session.get(App, APP_ID)
        assert stored is not None
        assert APP_SECRET not in stored.secret_hash and stored.secret_hash.startswith("scrypt$")
