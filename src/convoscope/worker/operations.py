"""The operations port of a worker node: `/healthz`, `/readyz` and `/metrics`, with the standard
library's HTTP server (a worker node serves no API, so it needs no web framework)."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from convoscope import health, metrics
from convoscope.config import Settings
from convoscope.db import Database
from convoscope.queue import JobQueue
from convoscope.worker.supervisor import Supervisor


class NodeEndpoints:
    """What the operations port reports for one supervised worker node."""

    def __init__(self, settings: Settings, supervisor: Supervisor, multiprocess_dir: str) -> None:
        self.settings, self.supervisor = settings, supervisor
        self.db = Database(settings.resolved_database_url)
        self.queue = JobQueue(settings)
        self.render_metrics = metrics.exposition(
            metrics.ClusterCollector(self.db, self.queue), multiprocess_dir=multiprocess_dir
        )

    def readiness(self) -> health.Report:
        report = health.Report()
        health.check_database(report, self.db)
        health.check_queue(report, self.queue)
        if report.checks["database"]["ok"]:
            within = max(5.0, self.settings.jobs.lease_seconds)
            health.check_node_workers(report, self.db, self.supervisor.host, self.supervisor.pids(), within)
        return report

    def close(self) -> None:
        self.db.dispose()


def serve_operations(endpoints: NodeEndpoints, host: str, port: int) -> ThreadingHTTPServer:
    """Serve the operations port from a daemon thread; returns the server (call `.shutdown()`)."""
    routes: dict[str, Callable[[], tuple[int, str, bytes]]] = {
        "/healthz": lambda: _json(200, {"status": "ok"}),
        "/readyz": lambda: _readiness(endpoints),
        "/metrics": lambda: (200, metrics.CONTENT_TYPE, endpoints.render_metrics()),
    }

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            route = routes.get(self.path.split("?")[0])
            status, content_type, body = route() if route else _json(404, {"message": "Not found."})
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:  # scrapes are not news
            return None

    server = ThreadingHTTPServer((host, port), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, name="operations-http", daemon=True).start()
    return server


def _readiness(endpoints: NodeEndpoints) -> tuple[int, str, bytes]:
    report = endpoints.readiness()
    return _json(200 if report.ready else 503, report.body())


def _json(status: int, body: dict[str, Any]) -> tuple[int, str, bytes]:
    return status, "application/json", json.dumps(body).encode()
