"""Walk every route of the API schema with a second app's token: nothing of the first app is reachable.

The route list comes from the served OpenAPI schema, so a route added later is covered without editing this
test; path parameters are filled with the first app's real ids.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient

from convoscope import auth as auth_service
from convoscope.conversations import voices
from convoscope.tables import Conversation
from tests.fixtures.api import get_token

PUBLIC = {
    "/oauth2/token:generate",
    "/oauth2/token:refresh",
    "/oauth2/token:revoke",
    "/healthz",
    "/readyz",
    "/metrics",
}
BODIES: dict[str, Any] = {
    "PUT /v1/conversations/{conversationId}": {"metadata": {"stolen": "yes"}},
    "PUT /v1/conversations/{conversationId}/members/{memberId}": {
        "id": "x",
        "name": "Hacked",
        "email": "h@x.com",
    },
    "PUT /v1/conversations/{conversationId}/speakers": {"speakerEvents": []},
    "POST /v1/conversations/{conversationId}/transcript": {"contentType": "text/markdown"},
    "PUT /v1/process/text/{conversationId}": {"messages": [{"payload": {"content": "Injected."}}]},
    "PUT /v1/process/audio/url/{conversationId}": {"url": "http://127.0.0.1:9/a.wav"},
    "PUT /v1/process/video/url/{conversationId}": {"url": "http://127.0.0.1:9/a.mp4"},
    "PATCH /v1/voices/{voiceId}": {"name": "Mallory"},
}


def test_no_route_reaches_another_apps_data(
    client: TestClient, auth: dict[str, str], submit_text: Callable[..., dict[str, Any]]
) -> None:
    ids = submit_text(
        {"messages": [{"payload": {"content": "Secret plans. Call me tomorrow?"}, "from": {"name": "Ann"}}]}
    )
    cid, job_id = ids["conversationId"], ids["jobId"]
    members = client.get(f"/v1/conversations/{cid}/members", headers=auth).json()["members"]
    services = client.app.state.services  # type: ignore[attr-defined]
    with services.db.session() as session:
        app_id = session.get(Conversation, cid).app_id  # type: ignore[union-attr]
        voice = voices.enroll_sample(session, app_id, voices.Person("Ann"), [1.0] + [0.0] * 191, 5.0)
    values = {"conversationId": cid, "jobId": job_id, "memberId": members[0]["id"], "voiceId": voice.id}

    with services.db.session() as session:
        other = auth_service.create_app(session, name="intruder")
    intruder = {"Authorization": f"Bearer {get_token(client, other.app_id, other.app_secret)}"}

    checked = 0
    for template, operations in client.get("/openapi.json").json()["paths"].items():
        params = re.findall(r"{(\w+)}", template)
        if template in PUBLIC or not template.startswith("/v1") or not params:
            continue  # collection routes: checked below that they list nothing of the first app
        path = template
        for name in params:
            path = path.replace(f"{{{name}}}", values.get(name, job_id))
        for method in (m.upper() for m in operations):
            body = BODIES.get(f"{method} {template}")
            if body is None and method in ("POST", "PUT") and "/process/" in template:
                response = client.request(method, path, content=b"RIFF....WAVE", headers=intruder)
            else:
                response = client.request(method, path, json=body, headers=intruder)
            assert response.status_code == 404, (method, template, response.status_code, response.text)
            checked += 1
    assert checked >= 25

    assert client.get("/v1/conversations", headers=intruder).json() == {"conversations": []}
    assert client.get("/v1/voices", headers=intruder).json() == {"voices": []}
    assert client.get(f"/v1/voices/{voice.id}", headers=auth).json()["name"] == "Ann"
    search = client.get("/v1/search?q=secret", headers=intruder)
    assert search.status_code in (200, 404) and "Secret" not in search.text

    # The owner still sees everything, unchanged.
    messages = client.get(f"/v1/conversations/{cid}/messages", headers=auth).json()["messages"]
    assert [m["text"] for m in messages] == ["Secret plans.", "Call me tomorrow?"]
    assert messages[0]["from"]["name"] == "Ann"
    assert client.get(f"/v1/conversations/{cid}", headers=auth).json()["metadata"] == {}
    assert client.get(f"/v1/job/{job_id}", headers=auth).json()["status"] == "completed"
