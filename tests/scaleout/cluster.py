"""A real scale-out deployment on loopback: `convoscope serve --no-worker` and `convoscope worker`
processes sharing one PostgreSQL database, one Redis queue and one media directory.

Used by the scale-out tests and by `bench/scaleout`.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import create_engine, text

from convoscope.db import Database, upgrade

APP_ID, APP_SECRET = "scaleout-app", "scaleout-secret-0123456789"
CONVOSCOPE = Path(sys.executable).with_name("convoscope")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Node:
    """One `convoscope` process and the file its output goes to."""

    name: str
    process: subprocess.Popen[bytes]
    log_path: Path
    url: str | None = None

    def signal(self, signum: int) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signum)

    def wait(self, timeout: float) -> int:
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            return self.process.wait(timeout=10)

    def events(self) -> list[dict[str, Any]]:
        """The JSON log lines this node (and its worker processes) wrote."""
        found = []
        for line in self.log_path.read_text(errors="replace").splitlines():
            if line.startswith("{"):
                try:
                    found.append(json.loads(line))
                except ValueError:
                    continue
        return found


@dataclass
class Cluster:
    database_url: str
    redis_url: str
    root: Path
    queue_name: str
    settings: dict[str, str] = field(default_factory=dict)
    apis: list[Node] = field(default_factory=list)
    workers: list[Node] = field(default_factory=list)
    retired: list[Node] = field(default_factory=list)

    def environment(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("CONVOSCOPE_")}
        if self.database_url:  # empty: the embedded default (SQLite + SqliteHuey in the data dir)
            env.update(CONVOSCOPE_DATABASE_URL=self.database_url, CONVOSCOPE_QUEUE_URL=self.redis_url)
        env.update(
            CONVOSCOPE_QUEUE_NAME=self.queue_name,
            CONVOSCOPE_DATA_DIR=str(self.root / "shared-data"),
            CONVOSCOPE_APP_ID=APP_ID,
            CONVOSCOPE_APP_SECRET=APP_SECRET,
            # Every API node must sign and check tokens with the same key.
            CONVOSCOPE_TOKEN_SECRET="scaleout-token-secret-0123456789abcdef",
            CONVOSCOPE_LOG_JSON="true",
            CONVOSCOPE_LOG_LEVEL="info",
            PYTHONUNBUFFERED="1",
        )
        env.update(self.settings)
        return env

    def migrate(self) -> None:
        if not self.database_url:
            return
        database = Database(self.database_url)
        upgrade(database.engine)
        database.dispose()

    def _spawn(self, name: str, args: list[str]) -> Node:
        log_path = self.root / f"{name}-{len(self.apis) + len(self.workers) + len(self.retired)}.log"
        with log_path.open("wb") as log_file:
            process = subprocess.Popen(
                [str(CONVOSCOPE), *args], env=self.environment(), stdout=log_file, stderr=subprocess.STDOUT
            )
        return Node(name, process, log_path)

    def start_api(self) -> Node:
        port = free_port()
        node = self._spawn("api", ["serve", "--no-worker", "--host", "127.0.0.1", "--port", str(port)])
        node.url = f"http://127.0.0.1:{port}"
        self.apis.append(node)
        return node

    def start_worker(
        self, concurrency: int = 1, grace_seconds: float = 25.0, metrics_port: int | None = None
    ) -> Node:
        args = ["worker", "--concurrency", str(concurrency), "--grace-seconds", str(grace_seconds)]
        if metrics_port is not None:
            args += ["--metrics-host", "127.0.0.1", "--metrics-port", str(metrics_port)]
        node = self._spawn("worker", args)
        node.url = None if metrics_port is None else f"http://127.0.0.1:{metrics_port}"
        self.workers.append(node)
        return node

    def wait_ready(self, timeout: float = 120) -> None:
        """Every API node answers /readyz and every worker process has written a heartbeat."""
        deadline = time.monotonic() + timeout
        for node in self.apis:
            while True:
                assert node.process.poll() is None, node.log_path.read_text()[-3000:]
                try:
                    if httpx.get(f"{node.url}/readyz", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                assert time.monotonic() < deadline, f"{node.name} not ready"
                time.sleep(0.2)
        while (
            self.expected_worker_processes()
            and len(self.live_worker_pids()) < self.expected_worker_processes()
        ):
            for node in self.workers:
                assert node.process.poll() is None, node.log_path.read_text()[-3000:]
            assert time.monotonic() < deadline, "workers not beating"
            time.sleep(0.2)

    def expected_worker_processes(self) -> int:
        total = 0
        for node in self.workers:
            args = [str(a) for a in node.process.args]  # type: ignore[union-attr]
            total += int(args[args.index("--concurrency") + 1])
        return total

    def sql(self, statement: str, **params: Any) -> list[Any]:
        engine = create_engine(self.database_url)
        try:
            with engine.begin() as connection:
                result = connection.execute(text(statement), params)
                return list(result.all()) if result.returns_rows else []
        finally:
            engine.dispose()

    def live_worker_pids(self) -> list[int]:
        return [
            int(row[0])
            for row in self.sql("SELECT pid FROM workers WHERE beat_at > now() - interval '10 seconds'")
        ]

    def token(self, api: Node) -> str:
        response = httpx.post(
            f"{api.url}/oauth2/token:generate",
            json={"type": "application", "appId": APP_ID, "appSecret": APP_SECRET},
            timeout=30,
        )
        response.raise_for_status()
        return str(response.json()["accessToken"])

    def stop(
        self, nodes: list[Node] | None = None, signum: int = signal.SIGTERM, timeout: float = 60
    ) -> None:
        chosen = list(self.apis + self.workers) if nodes is None else nodes
        for node in chosen:
            node.signal(signum)
        for node in chosen:
            node.wait(timeout)
            for group in (self.apis, self.workers):
                if node in group:
                    group.remove(node)
            self.retired.append(node)

    def all_events(self) -> list[dict[str, Any]]:
        return [event for node in self.apis + self.workers + self.retired for event in node.events()]


@contextmanager
def cluster(
    database_url: str, redis_url: str, root: Path, queue_name: str, **settings: str
) -> Iterator[Cluster]:
    """A migrated, empty deployment; every process it started is stopped at the end."""
    deployment = Cluster(database_url, redis_url, root, queue_name, settings=dict(settings))
    deployment.migrate()
    try:
        yield deployment
    finally:
        deployment.stop(signum=signal.SIGKILL, timeout=10)
