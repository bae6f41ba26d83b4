"""Submission throughput and latency of the Text Async API with concurrent clients, on the embedded
default (SQLite) and on PostgreSQL + Redis, side by side.

    .venv/bin/python -m bench.scaleout.submit --requests 200 --clients 20

Each configuration gets a fresh deployment of API-only nodes (`serve --no-worker`, so job processing
does not compete for the CPU), warm-up requests, then `--requests` POST /v1/process/text from
`--clients` threads with keep-alive connections, spread over the API nodes.
"""

from __future__ import annotations

import argparse
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
from bench.scaleout.common import deployment, summary

BODY = {
    "name": "bench",
    "messages": [
        {"payload": {"content": "Hi Mike, Natalia here. Who would be the best person to talk to?"},
         "from": {"name": "Natalia", "userId": "natalia@example.com"}},
        {"payload": {"content": "I am connecting you with Steve, he will email you tomorrow."},
         "from": {"name": "Mike", "userId": "mike@example.com"}},
    ],
}  # fmt: skip


def run(backend: str, api_nodes: int, requests: int, clients: int) -> str:
    with (
        tempfile.TemporaryDirectory() as root,
        deployment(
            backend, Path(root), CONVOSCOPE_MAX_CONCURRENT_JOBS="1000000", CONVOSCOPE_LOG_LEVEL="warning"
        ) as made,
    ):
        apis = [made.start_api() for _ in range(api_nodes)]
        made.wait_ready()
        token = made.token(apis[0])
        local = threading.local()

        def submit(number: int) -> float:
            if not hasattr(local, "client"):
                local.client = httpx.Client(headers={"x-api-key": token}, timeout=60)
            started = time.perf_counter()
            response = local.client.post(f"{apis[number % api_nodes].url}/v1/process/text", json=BODY)
            assert response.status_code == 201, response.text
            return time.perf_counter() - started

        with ThreadPoolExecutor(clients) as pool:
            list(pool.map(submit, range(clients * 2)))  # warm-up: connections, caches
            started = time.perf_counter()
            latencies = list(pool.map(submit, range(requests)))
            elapsed = time.perf_counter() - started
        return f"{backend:8s} api_nodes={api_nodes}  {requests / elapsed:6.1f} req/s  {summary(latencies)}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--configs", default="sqlite:1,postgres:1,postgres:2", help="backend:api_nodes,...")
    args = parser.parse_args()
    print(f"{args.requests} text submissions from {args.clients} concurrent clients")
    for config in args.configs.split(","):
        backend, nodes = config.split(":")
        print(run(backend, int(nodes), args.requests, args.clients), flush=True)


if __name__ == "__main__":
    main()
