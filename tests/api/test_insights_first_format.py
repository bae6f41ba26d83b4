"""Insights stored in the first, unversioned format (every insight kept in its wire shape) are served
exactly as that version served them, and the next analysis stores them in the current format.

`data/insights_first_format.json` was written by that version: the conversation it was given, the ids
it made, the insight document it stored and its answers to the insight endpoints.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from convoscope.conversations.insights import store_insights
from convoscope.tables import InsightSet

FIXTURE = Path(__file__).parent / "data" / "insights_first_format.json"


def _wire(document: Any) -> bytes:
    """A JSON document as the API writes it."""
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()


def test_a_first_format_document_is_served_as_before(
    client: TestClient, auth: dict[str, str], submit_text: Callable[..., dict[str, Any]]
) -> None:
    fixture = json.loads(FIXTURE.read_text())
    cid = submit_text(fixture["conversation"])["conversationId"]
    messages = client.get(f"/v1/conversations/{cid}/messages", headers=auth).json()["messages"]
    members = client.get(f"/v1/conversations/{cid}/members", headers=auth).json()["members"]
    stored_ids = fixture["stored_ids"]
    # The same conversation submitted again has new ids: the fixture's are swapped for them.
    new_ids = {stored_ids["conversation"]: cid}
    new_ids |= dict(zip(stored_ids["messages"], [m["id"] for m in messages], strict=True))
    new_ids |= {stored_ids["members"][m["name"]]: m["id"] for m in members}

    def here(document: Any) -> Any:
        text = json.dumps(document)
        for old, new in new_ids.items():
            text = text.replace(old, new)
        return json.loads(text)

    services = client.app.state.services  # type: ignore[attr-defined]
    with services.db.session() as session:
        store_insights(session, cid, here(fixture["payload"]))

    for path, answer in fixture["answers"].items():
        response = client.get(f"/v1/conversations/{cid}/{path}", headers=auth)
        assert response.status_code == 200, (path, response.text)
        assert response.content == _wire(here(answer)), path

    # The next analysis (a refresh job) stores the current format.
    assert client.get(f"/v1/conversations/{cid}/questions?refresh=true", headers=auth).status_code == 200
    deadline = time.monotonic() + 60
    while True:
        with services.db.session() as session:
            stored = session.get(InsightSet, cid)
            assert stored is not None
            if stored.payload.get("format") == 2:
                break
        assert time.monotonic() < deadline, "the refresh job did not store the current format"
        time.sleep(0.1)
