"""`convoscope apps keys create | list | revoke`: long-lived API keys, managed on the server's database."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import click

from convoscope.cli.settings import load_settings
from convoscope.errors import NotFound

if TYPE_CHECKING:
    from convoscope.services import Services


def _open(data_dir: Path | None) -> Services:
    from convoscope.services import Services

    return Services.open(load_settings(data_dir))


@click.group("keys")
def keys() -> None:
    """Long-lived API keys: `Authorization: Bearer KEY` or `x-api-key: KEY` on every route, no refresh."""


@keys.command("create")
@click.argument("app_id")
@click.option("--name", default="", help="A label, e.g. where the key is used.")
@click.option("--expires-in-days", type=click.IntRange(min=1), default=None, help="Default: never.")
@click.option("--data-dir", type=click.Path(path_type=Path), default=None)
def keys_create(app_id: str, name: str, expires_in_days: int | None, data_dir: Path | None) -> None:
    """Create a key for APP_ID and print it (shown only this once: only its hash is stored)."""
    from convoscope import api_keys
    from convoscope.timeutil import utcnow

    expires = utcnow() + timedelta(days=expires_in_days) if expires_in_days else None
    services = _open(data_dir)
    try:
        with services.db.session() as session:
            new = api_keys.create_key(session, app_id, name=name, expires_at=expires)
    except NotFound as exc:
        raise click.ClickException(exc.message) from None
    finally:
        services.close()
    click.echo(f"keyId={new.id}\napiKey={new.key}")


@keys.command("list")
@click.argument("app_id")
@click.option("--json", "as_json", is_flag=True, help="One JSON array instead of a table.")
@click.option("--data-dir", type=click.Path(path_type=Path), default=None)
def keys_list(app_id: str, as_json: bool, data_dir: Path | None) -> None:
    """List APP_ID's keys: id, name, the key's first characters, state, when created and last used."""
    from convoscope import api_keys
    from convoscope.timeutil import to_iso

    services = _open(data_dir)
    try:
        with services.db.session() as session:
            rows = [
                {
                    "id": row.id,
                    "name": row.name,
                    "hint": f"{row.hint}...",
                    "state": api_keys.key_state(row),
                    "createdAt": to_iso(row.created_at),
                    "expiresAt": to_iso(row.expires_at),
                    "lastUsedAt": to_iso(row.last_used_at),
                }
                for row in api_keys.list_keys(session, app_id)
            ]
    finally:
        services.close()
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    for row in rows:
        click.echo(
            f"{row['id']:<21} {row['state']:<8} {row['hint']:<14} created {row['createdAt']}  "
            f"last used {row['lastUsedAt'] or 'never'}  {row['name']}"
        )


@keys.command("revoke")
@click.argument("key_id")
@click.option("--data-dir", type=click.Path(path_type=Path), default=None)
def keys_revoke(key_id: str, data_dir: Path | None) -> None:
    """Revoke KEY_ID (as `list` shows it): requests with it answer 401 from now on."""
    from convoscope import api_keys

    services = _open(data_dir)
    try:
        with services.db.session() as session:
            row = api_keys.revoke_key(session, key_id)
            app_id = row.app_id
    except NotFound as exc:
        raise click.ClickException(exc.message) from None
    finally:
        services.close()
    click.echo(f"revoked {key_id} of app {app_id}")
