"""`convoscope serve | worker | apps | db` (in-process commands), plus the HTTP client commands."""

from __future__ import annotations

from pathlib import Path

import click

from convoscope.cli.client.commands import register as register_client_commands
from convoscope.cli.client.voices import voices
from convoscope.cli.keys import keys
from convoscope.cli.settings import load_settings
from convoscope.cli.worker import worker


@click.group()
def main() -> None:
    """Convoscope: self-hosted conversation intelligence with a Symbl.ai-compatible API."""


@main.command()
@click.option("--host", default=None, help="Bind address (CONVOSCOPE_HOST).")
@click.option("--port", type=int, default=None, help="Port (CONVOSCOPE_PORT).")
@click.option("--data-dir", type=click.Path(path_type=Path), default=None, help="Data directory.")
@click.option("--no-worker", is_flag=True, help="API only; jobs run on `convoscope worker` processes.")
def serve(host: str | None, port: int | None, data_dir: Path | None, no_worker: bool) -> None:
    """Run the HTTP API (and, by default, the job worker in the same process)."""
    import uvicorn

    from convoscope.api.app import create_app

    settings = load_settings(
        data_dir, server={"host": host, "port": port, "run_worker": False if no_worker else None}
    )
    # log_config=None: uvicorn's records go through our handler (JSON with `log_json`); our request
    # middleware logs each request with its request id instead of uvicorn's access log.
    # proxy_headers=False: the app alone decides whom to believe (`server.forwarded_allow_ips`).
    uvicorn.run(
        create_app(settings),
        host=settings.server.host,
        port=settings.server.port,
        log_level=settings.log.level,
        log_config=None,
        access_log=False,
        proxy_headers=False,
    )


@main.group()
def apps() -> None:
    """Manage apps (tenants)."""


@apps.command("create")
@click.option("--name", default="", help="A label for the app.")
@click.option("--data-dir", type=click.Path(path_type=Path), default=None)
def apps_create(name: str, data_dir: Path | None) -> None:
    """Create an app and print its appId and appSecret (the secret is shown only this once)."""
    from convoscope import auth
    from convoscope.services import Services

    services = Services.open(load_settings(data_dir))
    with services.db.session() as session:
        credentials = auth.create_app(session, name=name)
    click.echo(f"appId={credentials.app_id}\nappSecret={credentials.app_secret}")


@apps.command("webhook-secret")
@click.argument("app_id")
@click.option("--data-dir", type=click.Path(path_type=Path), default=None)
def apps_webhook_secret(app_id: str, data_dir: Path | None) -> None:
    """Print the secret that signs APP_ID's webhook calls (see README: verifying webhooks)."""
    from convoscope.jobs.webhooks import webhook_secret
    from convoscope.secrets_store import server_signing_key

    click.echo(webhook_secret(server_signing_key(load_settings(data_dir)), app_id))


apps.add_command(keys)


@main.command()
@click.option("--data-dir", type=click.Path(path_type=Path), default=None)
def models(data_dir: Path | None) -> None:
    """List the speech models this server can use and which one is the default."""
    from convoscope.pipeline.models.device import cuda_available
    from convoscope.pipeline.models.weights import list_models

    settings = load_settings(data_dir)
    for info in list_models(settings.models_dir, default=settings.asr.model):
        mark = "*" if info.default else " "
        state = "installed" if info.installed else "missing"
        click.echo(f"{mark} {info.name:<10} {state:<10} {info.source}")
    click.echo(f"device: {settings.asr.device} (CUDA {'available' if cuda_available() else 'not available'})")


@main.command()
@click.option("--data-dir", type=click.Path(path_type=Path), default=None)
def doctor(data_dir: Path | None) -> None:
    """Check that this installation can run jobs (models, FFmpeg, database, queue, disk); exits 1 when
    something is missing, with how to fix it."""
    from convoscope.doctor import run_checks

    checks = run_checks(load_settings(data_dir))
    for check in checks:
        click.echo(f"{check.status:<5} {check.name:<16} {check.detail}")
        if check.fix and check.status != "ok":
            click.echo(f"{'':<22}fix: {check.fix}")
    failed = [check.name for check in checks if check.status == "fail"]
    click.echo(f"\n{len(failed)} problem(s): {', '.join(failed)}" if failed else "\nready to run jobs")
    raise SystemExit(1 if failed else 0)


@main.group()
def db() -> None:
    """Database schema."""


@db.command("upgrade")
def db_upgrade() -> None:
    """Apply migrations to the configured database (needed once per release on PostgreSQL)."""
    from convoscope.db import Database, schema_revision, upgrade

    database = Database(load_settings().resolved_database_url)
    upgrade(database.engine)
    click.echo(f"schema at revision {schema_revision(database.engine)[0]}")


main.add_command(worker)
register_client_commands(main)
main.add_command(voices)
