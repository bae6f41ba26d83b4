"""Jobs with known answers, submitted over HTTP, and the checks that every one completed once."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from tests.scaleout.cluster import Cluster, Node

JFK = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "jfk.flac"
JFK_WORDS = "ask not what your country can do for you ask what you can do for your country"


@dataclass
class Expected:
    conversation_id: str
    job_ids: list[str] = field(default_factory=list)
    texts: list[str] | None = None  # exact message texts in order (text jobs)
    audio: bool = False


def text_job(api: Node, token: str, number: int, conversation_id: str | None = None) -> tuple[str, str]:
    body = {
        "messages": [
            {"payload": {"content": f"Job {number} first sentence. Job {number} second sentence."},
             "from": {"name": f"Speaker {number}", "userId": f"s{number}@example.com"}},
            {"payload": {"content": f"Job {number} third sentence."}, "from": {"name": "Other"}},
        ]
    }  # fmt: skip
    path = "/v1/process/text" + (f"/{conversation_id}" if conversation_id else "")
    method = "PUT" if conversation_id else "POST"
    response = httpx.request(method, f"{api.url}{path}", json=body, headers={"x-api-key": token}, timeout=60)
    assert response.status_code == 201, response.text
    return response.json()["conversationId"], response.json()["jobId"]


def text_lines(number: int) -> list[str]:
    return [
        f"Job {number} first sentence.",
        f"Job {number} second sentence.",
        f"Job {number} third sentence.",
    ]


def audio_job(api: Node, token: str) -> tuple[str, str]:
    response = httpx.post(
        f"{api.url}/v1/process/audio",
        content=JFK.read_bytes(),
        headers={"x-api-key": token, "Content-Type": "audio/flac"},
        timeout=120,
    )
    assert response.status_code == 201, response.text
    return response.json()["conversationId"], response.json()["jobId"]


def messages(api: Node, token: str, conversation_id: str) -> list[dict[str, Any]]:
    response = httpx.get(
        f"{api.url}/v1/conversations/{conversation_id}/messages", headers={"x-api-key": token}, timeout=60
    )
    assert response.status_code == 200, response.text
    return list(response.json()["messages"])


def _words(text: str) -> str:
    return " ".join(re.findall(r"[a-z']+", text.lower()))


def check_results(deployment: Cluster, api: Node, token: str, expected: list[Expected]) -> None:
    """Right messages, in order, none twice; each job completed exactly once (logs) in the database."""
    for item in expected:
        said = messages(api, token, item.conversation_id)
        assert len({m["id"] for m in said}) == len(said)
        if item.texts is not None:
            assert [m["text"] for m in said] == item.texts
        if item.audio:
            assert JFK_WORDS in _words(" ".join(m["text"] for m in said))
            assert len({(m["text"], m["startTime"]) for m in said}) == len(said)
    job_ids = [job_id for item in expected for job_id in item.job_ids]
    rows = deployment.sql("SELECT id, status FROM jobs")
    assert sorted(r[0] for r in rows) == sorted(job_ids)
    assert {r[1] for r in rows} == {"completed"}
    completions = Counter(
        e["job_id"]
        for e in deployment.all_events()
        if e.get("event") == "job.finished" and e.get("status") == "completed"
    )
    assert {job_id: completions[job_id] for job_id in job_ids} == dict.fromkeys(job_ids, 1)
