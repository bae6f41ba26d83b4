from __future__ import annotations

from datetime import UTC, datetime, timedelta

import jwt
from fastapi.testclient import TestClient

from convoscope.config import Settings
from tests.conftest import APP_ID, APP_SECRET, get_token

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
