"""SIGTERM to a running `convoscope serve`: the upload in flight completes, new connections are refused."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.fixtures.paths import SHARED_DATA
from tests.fixtures.servers import free_port
from tests.fixtures.settings import APP_ID, APP_SECRET

pytestmark = pytest.mark.slow


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[bytes], int]]:
    port = free_port()
    env = {
        **os.environ,
        "CONVOSCOPE_DATA_DIR": str(tmp_path / "data"),
        "CONVOSCOPE_APP_ID": APP_ID,
        "CONVOSCOPE_APP_SECRET": APP_SECRET,
        "CONVOSCOPE_LOG_LEVEL": "warning",
        "CONVOSCOPE_PRELOAD_MODELS": "false",
    }
    executable = str(Path(sys.executable).with_name("convoscope"))
    command = [executable, "serve", "--no-worker", "--port", str(port)]
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                break
        except httpx.TransportError:
            pass
        assert process.poll() is None, process.stderr.read().decode() if process.stderr else ""
        assert time.monotonic() < deadline, "server did not start"
        time.sleep(0.1)
    try:
        yield process, port
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_sigterm_drains_the_upload_in_flight_and_refuses_new_connections(
    serve: tuple[subprocess.Popen[bytes], int],
) -> None:
    process, port = serve
    token = httpx.post(
        f"http://127.0.0.1:{port}/oauth2/token:generate",
        json={"type": "application", "appId": APP_ID, "appSecret": APP_SECRET},
    ).json()["accessToken"]
    body = (SHARED_DATA / "jfk.flac").read_bytes()
    upload = socket.create_connection(("127.0.0.1", port), timeout=30)
    upload.sendall(
        (
            f"POST /v1/process/audio HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nx-api-key: {token}\r\n"
            f"Content-Type: audio/flac\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n"
        ).encode()
        + body[:1000]
    )
    time.sleep(0.3)
    process.send_signal(signal.SIGTERM)
    time.sleep(0.5)
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
    for start in range(1000, len(body), 16384):  # the rest of the body, slowly
        upload.sendall(body[start : start + 16384])
        time.sleep(0.01)
    answer = b""
    while chunk := upload.recv(65536):
        answer += chunk
    upload.close()
    head, _, payload = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 201"), answer[:300]
    assert set(json.loads(payload)) == {"conversationId", "jobId"}
    # A clean exit; uvicorn re-raises the signal after its graceful shutdown, hence -SIGTERM.
    assert process.wait(timeout=30) in (0, -signal.SIGTERM)
