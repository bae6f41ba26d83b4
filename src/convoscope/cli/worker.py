"""`convoscope worker`: a worker node for the scale-out setup (PostgreSQL + Redis)."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import click
import structlog

from convoscope.cli.settings import load_settings
from convoscope.services import SchemaOutdated

log = structlog.get_logger(__name__)


@click.command()
@click.option(
    "--concurrency",
    "-c",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes on this node, each with its own models (CONVOSCOPE_WORKER_PROCESSES, 1).",
)
@click.option(
    "--grace-seconds",
    type=click.FloatRange(min=0),
    default=None,
    help="On SIGTERM, how long a running job may finish before it is handed back "
    "(CONVOSCOPE_WORKER_GRACE_SECONDS, 25).",
)
@click.option(
    "--metrics-port",
    type=int,
    default=None,
    help="Serve /metrics, /healthz and /readyz for this node on this port (CONVOSCOPE_WORKER_METRICS_PORT).",
)
@click.option(
    "--metrics-host", default=None, help="Address of the metrics port (CONVOSCOPE_WORKER_METRICS_HOST)."
)
@click.option("--data-dir", type=click.Path(path_type=Path), default=None, help="Data directory (media).")
def worker(
    concurrency: int | None,
    grace_seconds: float | None,
    metrics_port: int | None,
    metrics_host: str | None,
    data_dir: Path | None,
) -> None:
    """Run jobs: N processes taking job ids from the shared queue (no HTTP API)."""
    from convoscope.worker.supervisor import Supervisor, check_schema, metrics_directory

    settings = load_settings(
        data_dir,
        server={"run_worker": True},
        worker={
            "processes": concurrency,
            "grace_seconds": grace_seconds,
            "metrics_port": metrics_port,
            "metrics_host": metrics_host,
        },
    )
    try:
        check_schema(settings)
    except SchemaOutdated as exc:
        raise click.ClickException(str(exc)) from exc
    if settings.is_sqlite:
        log.warning("worker_node.sqlite", hint="many machines need CONVOSCOPE_DATABASE_URL (PostgreSQL)")
    supervisor = Supervisor(settings)
    port = settings.worker.metrics_port
    multiprocess_dir = metrics_directory() if port is not None else None
    server = endpoints = None
    if port is not None and multiprocess_dir is not None:
        from convoscope.worker.operations import NodeEndpoints, serve_operations

        endpoints = NodeEndpoints(settings, supervisor, str(multiprocess_dir))
        server = serve_operations(endpoints, settings.worker.metrics_host, port)
    try:
        code = supervisor.run()
    finally:
        if server is not None and endpoints is not None:
            server.shutdown()
            endpoints.close()
        if multiprocess_dir is not None:
            shutil.rmtree(multiprocess_dir, ignore_errors=True)
    sys.exit(code)
