"""The `--http` mode of score.py: each conversation goes through the real API.

A server runs on a loopback port with a temporary data dir (SQLite, in-process worker). Each
labelled conversation is POSTed to /v1/process/text (with `enableSummary`), the job is awaited, and
the insights are read from the Conversation API: questions, action items, follow-ups, entities,
topics, the summary and the comprehensive action items. The server splits payloads into sentences
itself, so its messages are matched to the scorer's sentences in order (by text).
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from corpus import Conversation
from predictions import Prediction, from_wire
from tests.fixtures.servers import LiveServer
from tests.fixtures.settings import APP_ID, APP_SECRET, make_settings

ENDPOINTS = {
    "questions": "questions",
    "action-items": "action-items",
    "follow-ups": "follow-ups",
    "entities": "entities",
    "topics": "topics?parentRefs=true",
    "summary": "summary",
    "comprehensive": "comprehensive/action-items",
}


@contextmanager
def served() -> Iterator[Any]:
    with (
        tempfile.TemporaryDirectory() as data_dir,
        LiveServer(make_settings(Path(data_dir))) as server,
        httpx.Client(base_url=server.url, timeout=300) as client,
    ):
        token = client.post(
            "/oauth2/token:generate", json={"type": "application", "appId": APP_ID, "appSecret": APP_SECRET}
        ).json()["accessToken"]
        headers = {"Authorization": f"Bearer {token}"}

        def predict(conversation: Conversation) -> Prediction:
            return _predict(client, headers, conversation)

        yield predict


def _predict(client: httpx.Client, headers: dict[str, str], conversation: Conversation) -> Prediction:
    body = json.loads(conversation.path.read_text())
    body["enableSummary"] = True
    submitted = client.post("/v1/process/text", json=body, headers=headers)
    submitted.raise_for_status()
    cid, job_id = submitted.json()["conversationId"], submitted.json()["jobId"]
    while (status := client.get(f"/v1/job/{job_id}", headers=headers).json()["status"]) not in (
        "completed",
        "failed",
    ):
        time.sleep(0.05)
    if status != "completed":
        raise RuntimeError(f"{conversation.path.name}: job {status}")
    served_messages = client.get(f"/v1/conversations/{cid}/messages", headers=headers).json()["messages"]
    answers = {
        name: client.get(f"/v1/conversations/{cid}/{endpoint}", headers=headers).json()
        for name, endpoint in ENDPOINTS.items()
    }
    return from_wire(answers, _align(served_messages, conversation))


def _align(served: list[dict[str, Any]], conversation: Conversation) -> dict[str, str]:
    """Server message id -> scorer message id, pairing equal texts in order."""
    mapping: dict[str, str] = {}
    local = list(conversation.transcript.messages)
    cursor = 0
    for message in served:
        for index in range(cursor, len(local)):
            if local[index].text.strip() == message["text"].strip():
                mapping[message["id"]] = local[index].id
                cursor = index + 1
                break
    return mapping
