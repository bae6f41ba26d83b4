"""Forged tokens: a wrong algorithm, a wrong key, no signature, or an app that no longer exists."""

from __future__ import annotations

import base64
import json
from typing import Any

import jwt
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete

from convoscope.config import Settings
from convoscope.tables import App
from tests.fixtures.api import get_token
from tests.fixtures.settings import APP_ID, APP_SECRET

BAD_TOKEN = {"message": "Token validation failed for provided token."}


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def claims_of(token: str) -> dict[str, Any]:
    return dict(jwt.decode(token, options={"verify_signature": False}))


def server_key(settings: Settings) -> str:
    return (settings.data_dir / "token_secret").read_text().strip()


def refused(client: TestClient, token: str) -> None:
    response = client.get("/v1/conversations", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401, token
    assert response.json() == BAD_TOKEN


def with_header(header: dict[str, Any], claims: dict[str, Any], signature: bytes) -> str:
    head = b64(json.dumps(header).encode())
    body = b64(json.dumps(claims).encode())
    return f"{head}.{body}.{b64(signature)}"


@pytest.mark.parametrize("alg", ["RS256", "ES256", "PS256", "HS512", "HS384", "EdDSA"])
def test_a_header_naming_another_algorithm_is_refused(
    client: TestClient, settings: Settings, alg: str
) -> None:
    """HS/RS confusion: a valid claim set, the server key as an HMAC key, under another algorithm."""
    claims = claims_of(get_token(client))
    key = server_key(settings)
    if alg.startswith("HS"):
        refused(client, jwt.encode(claims, key, algorithm=alg))
    # The classic confusion: the HMAC of the token under the real key, with a header saying RS/ES.
    genuine = jwt.encode(claims, key, algorithm="HS256")
    signature = base64.urlsafe_b64decode(genuine.split(".")[2] + "==")
    refused(client, with_header({"alg": alg, "typ": "JWT"}, claims, signature))


def test_a_token_signed_with_the_app_secret_is_refused(client: TestClient) -> None:
    claims = claims_of(get_token(client))
    refused(client, jwt.encode(claims, APP_SECRET, algorithm="HS256"))


@pytest.mark.parametrize("alg", ["none", "None", "NONE", "nOnE"])
def test_unsigned_tokens_are_refused_with_or_without_a_signature(
    client: TestClient, settings: Settings, alg: str
) -> None:
    claims = claims_of(get_token(client))
    genuine_signature = base64.urlsafe_b64decode(
        jwt.encode(claims, server_key(settings), algorithm="HS256").split(".")[2] + "=="
    )
    refused(client, with_header({"alg": alg}, claims, b""))
    refused(client, with_header({"alg": alg}, claims, genuine_signature))
    refused(client, with_header({"alg": alg}, claims, b"anything"))


def test_a_token_without_the_required_claims_is_refused(client: TestClient, settings: Settings) -> None:
    claims = claims_of(get_token(client))
    for missing in ("exp", "jti", "sub", "iss"):
        partial = {k: v for k, v in claims.items() if k != missing}
        refused(client, jwt.encode(partial, server_key(settings), algorithm="HS256"))
    other = {**claims, "sub": "another-app"}  # a stored token id with someone else's app id
    refused(client, jwt.encode(other, server_key(settings), algorithm="HS256"))


def test_the_token_of_a_deleted_app_is_refused(client: TestClient) -> None:
    token = get_token(client)
    assert client.get("/v1/conversations", headers={"x-api-key": token}).status_code == 200
    services = client.app.state.services  # type: ignore[attr-defined]
    with services.db.session() as session:
        session.execute(delete(App).where(App.id == APP_ID))
    refused(client, token)
    response = client.post(
        "/oauth2/token:generate", json={"type": "application", "appId": APP_ID, "appSecret": APP_SECRET}
    )
    assert response.status_code == 401
