"""`convoscope voices list | add | enroll | rename | delete`: the app's voice library over HTTP."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from convoscope.cli.client.commands import print_json, with_client
from convoscope.cli.client.http import Client


@click.group()
def voices() -> None:
    """Named voices that diarized jobs recognise (per app)."""


def _line(voice: dict[str, Any]) -> str:
    contact = " ".join(v for v in (voice.get("email"), voice.get("userId")) if v)
    return f"{voice['id']}  {voice['name']}" + (f"  <{contact}>" if contact else "")


@voices.command("list")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable JSON on stdout.")
@with_client
def list_voices(client: Client, as_json: bool) -> None:
    """The voices of the app."""
    found = client.call("GET", "/v1/voices")["voices"]
    if as_json:
        print_json(found)
        return
    for voice in found:
        click.echo(_line(voice))
    if not found:
        click.echo("no voices")


def _person(name: str | None, email: str | None, user_id: str | None) -> dict[str, str]:
    return {k: v for k, v in (("name", name), ("email", email), ("userId", user_id)) if v}


@voices.command("add")
@click.argument("sample", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--name", required=True, help="Whose voice it is.")
@click.option("--email")
@click.option("--user-id")
@with_client
def add(client: Client, sample: Path, name: str, email: str | None, user_id: str | None) -> None:
    """Enroll a voice from a recording of one person speaking (a few seconds or more)."""
    voice = client.call(
        "POST", "/v1/voices/audio", params=_person(name, email, user_id), content=sample.read_bytes()
    )
    click.echo(_line(voice))


@voices.command("enroll")
@click.argument("conversation_id")
@click.argument("member_id")
@click.option("--name", help="Default: the member's name.")
@click.option("--email")
@click.option("--user-id")
@with_client
def enroll(
    client: Client,
    conversation_id: str,
    member_id: str,
    name: str | None,
    email: str | None,
    user_id: str | None,
) -> None:
    """Enroll the voice of a diarized member of a processed conversation."""
    body = {"conversationId": conversation_id, "memberId": member_id, **_person(name, email, user_id)}
    click.echo(_line(client.call("POST", "/v1/voices", json=body)))


@voices.command("rename")
@click.argument("voice_id")
@click.option("--name")
@click.option("--email")
@click.option("--user-id")
@with_client
def rename(client: Client, voice_id: str, name: str | None, email: str | None, user_id: str | None) -> None:
    """Change a voice's name, email or user id."""
    changes = _person(name, email, user_id)
    if not changes:
        raise click.UsageError("give --name, --email or --user-id")
    click.echo(_line(client.call("PATCH", f"/v1/voices/{voice_id}", json=changes)))


@voices.command("delete")
@click.argument("voice_id")
@click.option("-y", "--yes", is_flag=True, help="Do not ask for confirmation.")
@with_client
def delete(client: Client, voice_id: str, yes: bool) -> None:
    """Delete a voice and its voiceprint; later jobs no longer name it."""
    if not yes and sys.stdin.isatty():
        click.confirm(f"Delete voice {voice_id}?", abort=True)
    client.call("DELETE", f"/v1/voices/{voice_id}")
    click.echo(f"Deleted {voice_id}")
