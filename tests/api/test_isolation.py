"""An app sees only its own conversations and jobs: another app's ids answer 404."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient

from convoscope import auth as auth_service
from tests.fixtures.api import get_token, text_body


def test_other_apps_ids_are_not_found(
    client: TestClient, auth: dict[str, str], submit_text: Callable[..., dict[str, Any]]
) -> None:
    ids = submit_text({"messages": [{"payload": {"content": "Secret plans."}, "from": {"name": "Ann"}}]})
    cid, job_id = ids["conversationId"], ids["jobId"]
    member_id = client.get(f"/v1/conversations/{cid}/members", headers=auth).json()["members"][0]["id"]

    services = client.app.state.services  # type: ignore[attr-defined]
    with services.db.session() as session:
        other = auth_service.create_app(session, name="other")
    intruder = {"Authorization": f"Bearer {get_token(client, other.app_id, other.app_secret)}"}

    assert client.get("/v1/conversations", headers=intruder).json() == {"conversations": []}
    for method, path, body in (
        ("GET", f"/v1/conversations/{cid}", None),
        ("GET", f"/v1/conversations/{cid}/messages", None),
        ("GET", f"/v1/conversations/{cid}/members", None),
        ("PUT", f"/v1/conversations/{cid}", {"metadata": {"a": "b"}}),
        ("PUT", f"/v1/conversations/{cid}/members/{member_id}", {"id": member_id, "name": "Hacked"}),
        ("PUT", f"/v1/conversations/{cid}/speakers", {"speakerEvents": []}),
        ("PUT", f"/v1/process/text/{cid}", text_body("Injected.")),
        ("DELETE", f"/v1/conversations/{cid}", None),
        ("GET", f"/v1/job/{job_id}", None),
    ):
        response = client.request(method, path, json=body, headers=intruder)
        assert response.status_code == 404, (method, path, response.text)

    # The owner still sees everything unchanged.
    messages = client.get(f"/v1/conversations/{cid}/messages", headers=auth).json()["messages"]
    assert [m["text"] for m in messages] == ["Secret plans."]
    assert messages[0]["from"]["name"] == "Ann"
    assert client.get(f"/v1/conversations/{cid}", headers=auth).json()["metadata"] == {}
