"""Probes of the HTTP surface on loopback, each printing its figures:

- `memory`: RSS growth of the server process over N token requests, each with a new 1 MiB appId;
- `lockout`: what the right secret gets from one address after ten wrong ones from another (behind a
  proxy on loopback that the server trusts for `X-Forwarded-For`);
- `timing`: median time of a wrong secret for an existing app vs for an unknown app;
- `speakers`: time of `PUT .../speakers` with N events naming `--people` people by id.

    .venv/bin/python bench/security/web_probes.py [memory|lockout|timing|speakers|all]
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
from fastapi.testclient import TestClient

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from tests.fixtures.api import get_token, wait_for_job
from tests.fixtures.servers import LiveServer
from tests.fixtures.settings import APP_ID, APP_SECRET, make_settings

from convoscope.api.app import create_app
from convoscope.config import ServerSettings, TokenSettings


def rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def token_body(app_id: str, secret: str) -> dict[str, str]:
    return {"type": "application", "appId": app_id, "appSecret": secret}


def probe_memory(data_dir: Path, requests: int) -> None:
    settings = make_settings(data_dir, server={"run_worker": False})
    with TestClient(create_app(settings)) as client:
        client.post("/oauth2/token:generate", json=token_body("warm-up", "x"))
        gc.collect()
        before = rss_mib()
        codes: dict[int, int] = {}
        for i in range(requests):
            app_id = f"{i:08d}" + "a" * (1024 * 1024 - 8)
            status = client.post("/oauth2/token:generate", json=token_body(app_id, "x")).status_code
            codes[status] = codes.get(status, 0) + 1
        gc.collect()
        after = rss_mib()
    print(f"memory: {requests} requests with a new 1 MiB appId: status {codes}")
    per_request = (after - before) / requests * 1024
    print(f"memory: RSS {before:.1f} -> {after:.1f} MiB, {per_request:.0f} KiB/request")


def live_settings(data_dir: Path, **overrides: Any) -> Any:
    if "forwarded_allow_ips" in ServerSettings.model_fields:
        overrides.setdefault("server", {})["forwarded_allow_ips"] = ["127.0.0.1"]
    return make_settings(data_dir, **overrides)


def probe_lockout(data_dir: Path) -> None:
    settings = live_settings(data_dir, server={"run_worker": False})
    with LiveServer(settings) as server, httpx.Client(base_url=server.url, timeout=30) as http:
        stranger = {"X-Forwarded-For": "198.51.100.7"}
        owner = {"X-Forwarded-For": "203.0.113.9"}
        wrong = [
            http.post("/oauth2/token:generate", json=token_body(APP_ID, "guess"), headers=stranger)
            for _ in range(11)
        ]
        right = http.post("/oauth2/token:generate", json=token_body(APP_ID, APP_SECRET), headers=owner)
        stranger_right = http.post(
            "/oauth2/token:generate", json=token_body(APP_ID, APP_SECRET), headers=stranger
        )
    print(f"lockout: stranger's 11 wrong secrets: {[r.status_code for r in wrong]}")
    print(f"lockout: owner's right secret from another address: {right.status_code}")
    print(f"lockout: right secret from the stranger's address: {stranger_right.status_code}")


def probe_timing(data_dir: Path, rounds: int) -> None:
    tokens = {"failures_allowed": 10**6}
    if "address_failures_allowed" in TokenSettings.model_fields:
        tokens["address_failures_allowed"] = 10**6
    settings = live_settings(data_dir, server={"run_worker": False}, tokens=tokens)
    known: list[float] = []
    unknown: list[float] = []
    with LiveServer(settings) as server, httpx.Client(base_url=server.url, timeout=30) as http:
        for i in range(rounds):
            for app_id, times in ((APP_ID, known), (f"no-such-app-{i}", unknown)):
                started = time.perf_counter()
                status = http.post("/oauth2/token:generate", json=token_body(app_id, "guess")).status_code
                times.append((time.perf_counter() - started) * 1000)
                assert status == 401, status
    k, u = statistics.median(known), statistics.median(unknown)
    print(f"timing: {rounds} rounds, median wrong secret: existing app {k:.1f} ms, unknown app {u:.1f} ms")
    print(f"timing: gap {k - u:.1f} ms ({k / u:.2f}x)")


def probe_speakers(data_dir: Path, events: int, people: int) -> None:
    settings = make_settings(data_dir, limits={"requests_per_minute": 10**6})
    messages = [
        {
            "payload": {"content": f"Sentence number {i} of the call."},
            "from": {"name": f"P{i % 3}"},
            "duration": {
                "startTime": f"2020-07-10T11:{i // 60:02d}:{i % 60:02d}Z",
                "endTime": f"2020-07-10T11:{i // 60:02d}:{i % 60:02d}.900Z",
            },
        }
        for i in range(150)
    ]
    body: list[dict[str, Any]] = []
    for i in range(events // 2):
        person = i % people
        user = {"id": f"user-{person}", "name": f"Person {person}"}
        at = i * 150 / (events // 2)
        body.append({"type": "started_speaking", "user": user, "offset": {"seconds": at}})
        body.append({"type": "stopped_speaking", "user": user, "offset": {"seconds": at + 0.5}})
    with TestClient(create_app(settings)) as client:
        auth = {"x-api-key": get_token(client)}
        submitted = client.post("/v1/process/text", json={"messages": messages}, headers=auth).json()
        assert wait_for_job(client, submitted["jobId"], auth)["status"] == "completed"
        cid = submitted["conversationId"]
        started = time.perf_counter()
        response = client.put(f"/v1/conversations/{cid}/speakers", json={"speakerEvents": body}, headers=auth)
        seconds = time.perf_counter() - started
    print(f"speakers: {events} events ({people} people), 150 messages: {response.status_code} "
          f"in {seconds:.2f} s; {response.text[:120]}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("probe", nargs="?", default="all")
    parser.add_argument("--requests", type=int, default=100, help="memory: token requests")
    parser.add_argument("--rounds", type=int, default=30, help="timing: requests per kind")
    parser.add_argument("--events", type=int, default=4000, help="speakers: events")
    parser.add_argument("--people", type=int, default=100, help="speakers: distinct people named")
    args = parser.parse_args()
    print(f"cpus={os.cpu_count()} load={os.getloadavg()}")
    with tempfile.TemporaryDirectory(prefix="convoscope-probes-") as tmp:
        root = Path(tmp)
        if args.probe in ("memory", "all"):
            probe_memory(root / "memory", args.requests)
        if args.probe in ("lockout", "all"):
            probe_lockout(root / "lockout")
        if args.probe in ("timing", "all"):
            probe_timing(root / "timing", args.rounds)
        if args.probe in ("speakers", "all"):
            probe_speakers(root / "speakers", args.events, args.people)


if __name__ == "__main__":
    main()
