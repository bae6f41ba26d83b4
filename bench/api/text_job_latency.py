"""Time from POST /v1/process/text (50 messages) to `completed`, on the embedded default.

Runs a real server (uvicorn, SQLite, in-process worker) on a loopback port in a temporary data dir,
warms the models with one job, then times N submissions one after another and prints each step.

    .venv/bin/python bench/api/text_job_latency.py [--runs 5] [--messages 50]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from tests.fixtures.servers import LiveServer
from tests.fixtures.settings import APP_ID, APP_SECRET, make_settings

SENTENCES = [
    "Thanks everyone for joining the weekly planning call.",
    "Can you send me the updated budget by Friday?",
    "I will schedule a follow-up meeting with the design team next week.",
    "What is the status of the mobile release?",
    "We shipped the beta to twenty customers yesterday and the feedback was positive.",
    "Maria, please review the onboarding flow before Tuesday.",
    "The pricing page still needs new screenshots.",
    "Do we have a date for the security audit?",
]


def conversation(messages: int) -> dict[str, object]:
    speakers = [{"name": "Ann", "userId": "ann@example.com"}, {"name": "Ben", "userId": "ben@example.com"}]
    return {
        "name": "Latency benchmark",
        "messages": [
            {
                "payload": {"content": " ".join(SENTENCES[(i + k) % len(SENTENCES)] for k in (0, 3))},
                "from": speakers[i % 2],
            }
            for i in range(messages)
        ],
    }


def run_once(client: httpx.Client, headers: dict[str, str], body: dict[str, object]) -> tuple[float, float]:
    started = time.perf_counter()
    response = client.post("/v1/process/text", json=body, headers=headers)
    response.raise_for_status()
    accepted = time.perf_counter() - started
    job_id = response.json()["jobId"]
    while True:
        status = client.get(f"/v1/job/{job_id}", headers=headers).json()["status"]
        if status in ("completed", "failed"):
            break
        time.sleep(0.02)
    if status != "completed":
        raise RuntimeError(f"job {job_id} ended {status}")
    return accepted, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--messages", type=int, default=50)
    args = parser.parse_args()
    body = conversation(args.messages)
    credentials = {"type": "application", "appId": APP_ID, "appSecret": APP_SECRET}
    with (
        tempfile.TemporaryDirectory() as data_dir,
        LiveServer(make_settings(Path(data_dir))) as server,
        httpx.Client(base_url=server.url, timeout=120) as client,
    ):
        token = client.post("/oauth2/token:generate", json=credentials).json()["accessToken"]
        headers = {"Authorization": f"Bearer {token}"}
        _, warm = run_once(client, headers, body)
        print(f"cores={os.cpu_count()} messages={args.messages} first job (loads models)={warm:.2f}s")
        totals = []
        for run in range(args.runs):
            accepted, total = run_once(client, headers, body)
            totals.append(total)
            print(f"run {run + 1}: 201 after {accepted * 1000:.0f} ms, completed after {total:.2f}s")
        median = statistics.median(totals)
        print(
            f"POST text ({args.messages} messages) -> completed: median {median:.2f}s, "
            f"min {min(totals):.2f}s, max {max(totals):.2f}s over {args.runs} runs"
        )


if __name__ == "__main__":
    main()
