"""Clients written like Symbl's published Node.js getting-started samples (`examples/node/async-upload/*`
in symblai/getting-started-samples), pointed at Convoscope with only the base URL changed.

Each sample logs in, uploads a recording (`POST /v1/process/audio?name=...&languageCode=en-US` with
`Content-Type: audio/mpeg`), polls `GET /v1/job/{id}` *while* the status is `in_progress` (and stops on
any other status or on an error), then reads one Async endpoint. A job still waiting in the queue
must therefore answer `in_progress`: ten samples run at once here, queued behind one worker, and
every one of them must get a full answer. The samples wait 5 s between polls and give up after 30;
these poll every second and give up after the same 150 s.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest

from tests.fixtures.paths import TEST_DATA
from tests.fixtures.servers import LiveServer
from tests.fixtures.settings import APP_ID, APP_SECRET, make_settings

RECORDING = TEST_DATA / "sales_call.mp3"
POLL_SECONDS = 1.0
PATIENCE_SECONDS = 150.0
pytestmark = pytest.mark.slow
TRACKERS = quote('[{"name":"Pricing","vocabulary":["per seat","price"]}]')


class NodeSample:
    """The HTTP behaviour of the samples' `common.js`, `post-file.js` and `async.js`."""

    def __init__(self, base_url: str) -> None:
        self.base = base_url
        self.http = httpx.Client(timeout=60)
        self.polls: list[str] = []

    def login(self) -> str:
        body = {"type": "application", "appId": APP_ID, "appSecret": APP_SECRET}
        response = self.http.post(f"{self.base}/oauth2/token:generate", json=body)
        assert response.status_code == 200, response.text
        return str(response.json()["accessToken"])

    def headers(self, token: str, content_type: str = "application/json") -> dict[str, str]:
        return {"Content-Type": content_type, "Authorization": f"Bearer {token}", "Connection": "keep-alive"}

    def post(self, token: str, filename: Path, extra: str = "") -> dict[str, Any]:
        """Upload, then wait for the job the way the samples do."""
        uri = f"{self.base}/v1/process/audio?name={filename.name}&languageCode=en-US{extra}"
        response = self.http.post(
            uri, content=filename.read_bytes(), headers=self.headers(token, "audio/mpeg")
        )
        assert response.status_code in (200, 201), response.text
        result: dict[str, Any] = response.json()
        self.wait(token, result["jobId"])
        return result

    def wait(self, token: str, job_id: str) -> None:
        count = 0
        while True:
            response = self.http.get(f"{self.base}/v1/job/{job_id}", headers=self.headers(token))
            if response.status_code not in (200, 201):
                break
            self.polls.append(response.json()["status"])
            if response.json()["status"] != "in_progress":
                break
            count += 1
            if count > PATIENCE_SECONDS / POLL_SECONDS:
                break
            time.sleep(POLL_SECONDS)

    def intelligence(self, token: str, api: str, conversation_id: str, params: str = "") -> Any:
        if params == "all":
            params = "parentRefs=true&sentiment=true"
        uri = f"{self.base}/v1/conversations/{conversation_id}/{api}?{params}"
        if params in ("none", ""):
            uri = f"{self.base}/v1/conversations/{conversation_id}/{api}"
        response = self.http.get(uri, headers=self.headers(token))
        if response.status_code not in (200, 201):
            raise AssertionError(f"{response.status_code}: {response.text}")
        return response.json()


def _messages(answer: Any) -> bool:
    return len(answer["messages"]) >= 5 and "per seat" in " ".join(m["text"] for m in answer["messages"])


def _redacted(answer: Any) -> bool:
    text = " ".join(m["text"] for m in answer["messages"])
    return "Vikram" in text and "Tuesday" not in text and "****" in text


# sample -> (endpoint, query, what a full answer has, extra upload parameters)
SAMPLES: dict[str, tuple[str, str, Callable[[Any], bool], str]] = {
    "messages": ("messages", "", _messages, ""),
    "questions": ("questions", "", lambda a: len(a["questions"]) > 0, ""),
    "action-items": ("action-items", "", lambda a: len(a["actionItems"]) > 0, ""),
    "follow-ups": ("follow-ups", "", lambda a: len(a["followUps"]) > 0, ""),
    "topics": ("topics", "all", lambda a: len(a["topics"]) > 0 and "sentiment" in a["topics"][0], ""),
    "entities": ("entities", "", lambda a: len(a["entities"]) > 0, ""),
    "summary": ("summary", "", lambda a: len(a["summary"]) > 0, ""),
    "analytics": ("analytics", "", lambda a: len(a["metrics"]) == 3 and len(a["members"]) > 0, ""),
    "trackers": (
        "trackers-detected",
        "",
        lambda a: len(a) > 0 and a[0]["name"] == "Pricing",
        f"&trackers={TRACKERS}",
    ),
    "redaction": ("messages", 'exclude=["PERSON_NAME"]&redact=true', _redacted, ""),
}


@pytest.fixture(scope="module")
def server(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """One worker running one job at a time, so the samples' jobs queue behind each other."""
    settings = make_settings(
        tmp_path_factory.mktemp("node-samples"), asr={"model": "tiny.en"}, worker={"threads": 1}
    )
    with LiveServer(settings) as live:
        yield live


def test_every_sample_gets_a_full_answer_with_its_job_queued(server: LiveServer) -> None:
    results: dict[str, Any] = {}
    polls: dict[str, list[str]] = {}

    def run(name: str) -> None:
        endpoint, params, _, extra = SAMPLES[name]
        sample = NodeSample(server.url)
        try:
            token = sample.login()
            posted = sample.post(token, RECORDING, extra)
            results[name] = sample.intelligence(token, endpoint, posted["conversationId"], params)
        except Exception as exc:  # reported below, with the sample's name
            results[name] = exc
        polls[name] = sample.polls

    threads = [threading.Thread(target=run, args=(name,)) for name in SAMPLES]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    for name, (_, _, full, _) in SAMPLES.items():
        answer = results.get(name)
        assert not isinstance(answer, Exception) and answer is not None, f"{name}: {answer!r}"
        assert full(answer), f"{name} printed an incomplete answer: {answer}"
        assert polls[name][-1] == "completed" and set(polls[name][:-1]) <= {"in_progress"}, polls[name]
    # The jobs ran one after another: most samples polled while their job was still queued.
    assert sum(len(p) > 3 for p in polls.values()) >= len(SAMPLES) // 2
