"""Long-lived API keys on the Symbl routes: accepted like tokens in both headers, scoped to their
app, refused once revoked or expired, stored only as hashes; the token endpoints are unchanged."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import delete, select

from convoscope import api_keys, auth
from convoscope.services import Services
from convoscope.tables import ApiKey, App
from convoscope.timeutil import utcnow
from tests.fixtures.api import get_token, text_body, wait_for_job
from tests.fixtures.settings import APP_ID, APP_SECRET

BAD_KEY = {"message": "Invalid API key: it is unknown, revoked or expired."}


def services_of(client: TestClient) -> Services:
    services: Services = client.app.state.services  # type: ignore[attr-defined]
    return services


def new_key(client: TestClient, app_id: str = APP_ID, **options: object) -> api_keys.NewKey:
    with services_of(client).db.session() as session:
        return api_keys.create_key(session, app_id, **options)  # type: ignore[arg-type]


def test_a_key_works_in_either_header_on_every_route(client: TestClient) -> None:
    key = new_key(client).key
    submitted = client.post(
        "/v1/process/text", json=text_body("Can you send the report?"), headers={"x-api-key": key}
    )
    assert submitted.status_code == 201, submitted.text
    bearer = {"Authorization": f"Bearer {key}"}
    assert wait_for_job(client, submitted.json()["jobId"], bearer)["status"] == "completed"
    conversation = submitted.json()["conversationId"]
    assert client.get(f"/v1/conversations/{conversation}/messages", headers=bearer).status_code == 200
    assert (
        client.get(
            f"/v1/conversations/{conversation}/questions", headers={"x-api-key": f"Bearer {key}"}
        ).status_code
        == 200
    )


def test_unknown_revoked_and_expired_keys_are_401(client: TestClient) -> None:
    revoked, expired = new_key(client), new_key(client, expires_at=utcnow() - timedelta(seconds=1))
    with services_of(client).db.session() as session:
        api_keys.revoke_key(session, revoked.id)
    for key in ("cvs_" + "x" * 43, revoked.key, expired.key):
        response = client.get("/v1/conversations", headers={"x-api-key": key})
        assert (response.status_code, response.json()) == (401, BAD_KEY)
    later = new_key(client, expires_at=utcnow() + timedelta(days=1))
    assert client.get("/v1/conversations", headers={"x-api-key": later.key}).status_code == 200


def test_a_key_sees_only_its_own_apps_data(client: TestClient) -> None:
    token = get_token(client)
    submitted = client.post("/v1/process/text", json=text_body("Hello there."), headers={"x-api-key": token})
    conversation = submitted.json()["conversationId"]
    with services_of(client).db.session() as session:
        other = auth.create_app(session, name="other").app_id
    other_key = new_key(client, other).key
    response = client.get(f"/v1/conversations/{conversation}", headers={"x-api-key": other_key})
    assert response.status_code == 404
    assert client.get("/v1/conversations", headers={"x-api-key": other_key}).json()["conversations"] == []


def test_a_key_of_a_deleted_app_is_refused(client: TestClient) -> None:
    with services_of(client).db.session() as session:
        gone = auth.create_app(session, name="gone").app_id
    key = new_key(client, gone).key
    with services_of(client).db.session() as session:
        session.execute(delete(App).where(App.id == gone))
    assert client.get("/v1/conversations", headers={"x-api-key": key}).status_code == 401


def test_keys_are_stored_only_as_hashes_and_last_use_is_recorded(client: TestClient) -> None:
    key = new_key(client, name="cron")
    assert client.get("/v1/conversations", headers={"x-api-key": key.key}).status_code == 200
    with services_of(client).db.session() as session:
        row = session.scalars(select(ApiKey).where(ApiKey.id == key.id)).one()
        stored = [str(getattr(row, column.name)) for column in ApiKey.__table__.columns]
    assert not any(key.key in value for value in stored)
    assert row.hint == key.key[:10] and row.last_used_at is not None and row.name == "cron"


def test_token_endpoints_are_unchanged_and_revoking_tokens_leaves_keys(client: TestClient) -> None:
    key = new_key(client).key
    token = get_token(client)
    assert client.get("/v1/conversations", headers={"x-api-key": token}).status_code == 200
    revoked = client.request(
        "DELETE", "/oauth2/token:revoke", json={"appId": APP_ID, "appSecret": APP_SECRET}
    )
    assert revoked.status_code == 200
    assert client.get("/v1/conversations", headers={"x-api-key": token}).status_code == 401
    assert client.get("/v1/conversations", headers={"x-api-key": key}).status_code == 200
