"""Deeply nested JSON, in a body or a query parameter, is a 400 `{"message"}` on every route that
reads JSON (the token endpoints included), never a 500."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from convoscope.api.openai_errors import is_openai_path

DEEP = "[" * 100_000 + "]" * 100_000
DEEP_OBJECT = '{"a":' * 100_000 + "1" + "}" * 100_000
JUST_TOO_DEEP = '{"messages": ' + "[" * 40 + "]" * 40 + "}"


def json_routes(client: TestClient) -> list[tuple[str, str]]:
    """Every operation of the published schema that takes a body."""
    routes = []
    for template, operations in client.app.openapi()["paths"].items():  # type: ignore[attr-defined]
        path = template.replace("{conversationId}", "c").replace("{memberId}", "m").replace("{jobId}", "j")
        routes.extend((method.upper(), path) for method in operations if method in ("post", "put", "delete"))
    return routes


@pytest.mark.parametrize("document", [DEEP, DEEP_OBJECT, JUST_TOO_DEEP])
def test_deep_json_bodies_are_a_400_everywhere(
    client: TestClient, auth: dict[str, str], document: str
) -> None:
    routes = json_routes(client)
    assert ("POST", "/oauth2/token:generate") in routes and len(routes) > 10
    for method, path in routes:
        headers = {**auth, "Content-Type": "application/json"}
        response = client.request(method, path, content=document, headers=headers)
        assert response.status_code < 500, (method, path, response.text)
        if path.startswith("/oauth2") or path.startswith("/v1/process/text"):
            assert response.status_code == 400, (method, path, response.text)
        body = response.json()
        assert ("error" in body) if is_openai_path(path) else ("message" in body), (method, path, body)


def test_deep_json_without_a_token_is_a_400(client: TestClient) -> None:
    response = client.post(
        "/oauth2/token:generate", content=DEEP, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert "nested" in response.json()["message"]


@pytest.mark.parametrize("param", ["customVocabulary", "redaction", "trackers", "metadata"])
def test_deep_json_in_a_query_parameter_is_a_400(
    client: TestClient, auth: dict[str, str], param: str
) -> None:
    response = client.post(
        f"/v1/process/audio/url?{param}={DEEP[:20_000]}{DEEP[-20_000:]}",
        json={"url": "https://example.com/a.mp3"},
        headers=auth,
    )
    assert response.status_code == 400, response.text
    assert "message" in response.json()
