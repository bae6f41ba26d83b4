"""Webhook delivery to local receivers on loopback: every status, signed, retried, guarded."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from convoscope.config import Settings
from convoscope.fetch import FetchError, check_url
from convoscope.jobs.fair_queue import FairQueue, Item
from convoscope.jobs.webhooks import (
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    Delivery,
    WebhookSender,
    verify,
    webhook_secret,
)
from convoscope.netguard import NetPolicy
from tests.fixtures.api import text_body, wait_for_job
from tests.fixtures.hooks import HookReceiver
from tests.fixtures.servers import free_port
from tests.fixtures.settings import APP_ID


@pytest.fixture
def receiver() -> Iterator[HookReceiver]:
    server = HookReceiver()
    yield server
    server.close()


def submit(client: TestClient, auth: dict[str, str], url: str) -> str:
    response = client.post("/v1/process/text", json=text_body("Hello.", webhookUrl=url), headers=auth)
    job_id = str(response.json()["jobId"])
    assert wait_for_job(client, job_id, auth)["status"] == "completed"
    return job_id


def test_every_status_change_is_posted_and_signed(
    client: TestClient, auth: dict[str, str], receiver: HookReceiver, settings: Settings
) -> None:
    job_id = submit(client, auth, receiver.url)
    calls = receiver.wait_for(2)
    assert [c["body"] for c in calls] == [
        {"jobId": job_id, "status": "in_progress"},
        {"jobId": job_id, "status": "completed"},
    ]
    key = (settings.data_dir / "token_secret").read_text().strip()
    secret = webhook_secret(key, APP_ID)
    for call in calls:
        headers = {k.lower(): v for k, v in call["headers"].items()}
        assert headers["content-type"] == "application/json"
        assert verify(
            secret, headers[TIMESTAMP_HEADER.lower()], call["raw"], headers[SIGNATURE_HEADER.lower()]
        )
        assert not verify(
            "another-secret",
            headers[TIMESTAMP_HEADER.lower()],
            call["raw"],
            headers[SIGNATURE_HEADER.lower()],
        )
        assert not verify(
            secret, headers[TIMESTAMP_HEADER.lower()], call["raw"] + b" ", headers[SIGNATURE_HEADER.lower()]
        )
    assert not verify(
        secret, str(int(time.time()) - 3600), calls[0]["raw"], calls[0]["headers"][SIGNATURE_HEADER]
    )


def test_webhook_in_query_string_is_used(
    client: TestClient, auth: dict[str, str], receiver: HookReceiver
) -> None:
    response = client.post(
        f"/v1/process/text?webhookUrl={receiver.url}", json=text_body("Hello."), headers=auth
    )
    assert wait_for_job(client, response.json()["jobId"], auth)["status"] == "completed"
    assert [c["body"]["status"] for c in receiver.wait_for(2)] == ["in_progress", "completed"]


def test_failed_deliveries_are_retried(client: TestClient, auth: dict[str, str]) -> None:
    flaky = HookReceiver(codes=[500, 503])
    try:
        job_id = submit(client, auth, flaky.url)
        calls = flaky.wait_for(4)
        statuses = [c["body"]["status"] for c in calls]
        assert statuses == ["in_progress", "in_progress", "in_progress", "completed"]
        assert all(c["body"]["jobId"] == job_id for c in calls)
    finally:
        flaky.close()


def test_a_rejected_delivery_is_not_retried(client: TestClient, auth: dict[str, str]) -> None:
    rejecting = HookReceiver(codes=[410])
    try:
        submit(client, auth, rejecting.url)
        calls = rejecting.wait_for(2)
        assert [c["body"]["status"] for c in calls] == ["in_progress", "completed"]
    finally:
        rejecting.close()


def test_unreachable_webhook_does_not_fail_the_job(client: TestClient, auth: dict[str, str]) -> None:
    submit(client, auth, f"http://127.0.0.1:{free_port()}/hook")


def test_webhooks_to_non_public_addresses_are_refused(client: TestClient, auth: dict[str, str]) -> None:
    # 127.0.0.2 is loopback but not in the allow list: the guard refuses before connecting, the job
    # still completes.
    submit(client, auth, "http://127.0.0.2:9/hook")


@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.2:9/hook", "http://10.1.2.3/hook", "http://169.254.169.254/latest", "http://[::1]:9/"],
)
def test_the_webhook_guard_refuses_non_public_targets(url: str) -> None:
    # The decision only: nothing here opens a connection.
    policy = NetPolicy.from_strings(["127.0.0.1"])
    with pytest.raises(FetchError) as refused:
        check_url(url, policy)
    assert refused.value.reason == "refused"


def test_a_refused_webhook_is_dropped_without_retrying() -> None:
    sender = WebhookSender(NetPolicy.from_strings(["127.0.0.1"]), attempts=5, backoff=10)
    started = time.monotonic()
    assert sender.deliver(Delivery("http://127.0.0.2:9/hook", "job", "completed", "secret")) is False
    assert time.monotonic() - started < 5
    sender.close()


class DeadReceiver:
    """A loopback server that accepts connections and never answers."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.held: list[socket.socket] = []
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/hook"
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                self.held.append(self.sock.accept()[0])
            except OSError:
                return

    def close(self) -> None:
        self.sock.close()
        for conn in self.held:
            conn.close()


def test_a_dead_receiver_does_not_delay_another_apps_webhooks() -> None:
    dead, alive = DeadReceiver(), HookReceiver()
    sender = WebhookSender(NetPolicy.from_strings(["127.0.0.1"]), attempts=4, backoff=0.5, timeout=5.0)
    try:
        for i in range(5):  # app A's receiver never answers: each call times out, then retries
            sender.send(Delivery(dead.url, f"a-{i}", "completed", "secret-a", app_id="app-a"))
        time.sleep(0.2)
        started = time.monotonic()
        sender.send(Delivery(alive.url, "b-1", "completed", "secret-b", app_id="app-b"))
        assert len(alive.wait_for(1, timeout=30)) == 1
        assert time.monotonic() - started < 2.0  # not behind A's timeouts (5 s each, retried)
        assert alive.calls[0]["body"] == {"jobId": "b-1", "status": "completed"}
        assert len(dead.held) <= 1  # A has one call in flight at a time
    finally:
        sender.close(timeout=0.1)
        dead.close()
        alive.close()


def test_an_apps_backlog_is_bounded_and_in_order() -> None:
    queue: FairQueue[str] = FairQueue(per_key=2)
    assert queue.put(Item("a", "a1")) and queue.put(Item("a", "a2"))
    assert queue.put(Item("a", "a3")) is False  # dropped: a's backlog is full
    assert queue.put(Item("b", "b1"))
    first = queue.take()
    assert first is not None and first.value == "a1"
    second = queue.take()  # a has a call in flight: b's turn
    assert second is not None and second.value == "b1"
    queue.done("a")
    third = queue.take()
    assert third is not None and third.value == "a2"


def test_a_receiver_that_answers_and_then_stalls_does_not_hold_the_call() -> None:
    """The status is what counts: a body sent slowly (or never) is not waited for."""
    sock = socket.create_server(("127.0.0.1", 0))
    held: list[socket.socket] = []

    def answer_then_stall() -> None:
        conn = sock.accept()[0]
        held.append(conn)
        conn.recv(65536)
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 1000000\r\n\r\n")

    threading.Thread(target=answer_then_stall, daemon=True).start()
    sender = WebhookSender(NetPolicy.from_strings(["127.0.0.1"]), attempts=1, timeout=5.0, threads=1)
    try:
        started = time.monotonic()
        url = f"http://127.0.0.1:{sock.getsockname()[1]}/hook"
        assert sender.deliver(Delivery(url, "job", "completed", "secret")) is True
        assert time.monotonic() - started < 2.0
    finally:
        sender.close(timeout=0.1)
        sock.close()
        for conn in held:
            conn.close()
