"""Webhook delivery to a local receiver on loopback."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import free_port, text_body, wait_for_job


class Receiver:
    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []
        received = self.calls

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("content-length", 0))
                received.append(
                    {"body": json.loads(self.rfile.read(length)), "type": self.headers["content-type"]}
                )
                self.send_response(200)
                self.end_headers()

            def log_message(self, *_: Any) -> None:
                return None

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = Receiver()
    yield server
    server.close()


def test_every_status_change_is_posted(client: TestClient, auth: dict[str, str], receiver: Receiver) -> None:
    response = client.post(
        "/v1/process/text", json=text_body("Hello.", webhookUrl=receiver.url), headers=auth
    )
    job_id = response.json()["jobId"]
    assert wait_for_job(client, job_id, auth)["status"] == "completed"
    deadline = time.monotonic() + 10
    while len(receiver.calls) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert [c["body"] for c in receiver.calls] == [
        {"jobId": job_id, "status": "in_progress"},
        {"jobId": job_id, "status": "completed"},
    ]
    assert all(c["type"] == "application/json" for c in receiver.calls)


def test_webhook_in_query_string_is_used(
    client: TestClient, auth: dict[str, str], receiver: Receiver
) -> None:
    response = client.post(
        f"/v1/process/text?webhookUrl={receiver.url}", json=text_body("Hello."), headers=auth
    )
    assert wait_for_job(client, response.json()["jobId"], auth)["status"] == "completed"
    deadline = time.monotonic() + 10
    while len(receiver.calls) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert [c["body"]["status"] for c in receiver.calls] == ["in_progress", "completed"]


def test_unreachable_webhook_does_not_fail_the_job(client: TestClient, auth: dict[str, str]) -> None:
    dead_url = f"http://127.0.0.1:{free_port()}/hook"
    response = client.post("/v1/process/text", json=text_body("Hello.", webhookUrl=dead_url), headers=auth)
    assert wait_for_job(client, response.json()["jobId"], auth)["status"] == "completed"
