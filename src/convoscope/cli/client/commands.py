"""`convoscope process | status | conversations list|show|export|delete`: the HTTP client commands.

Exit codes: 0 ok, 1 job failed, 2 usage, 3 auth, 4 not found, 5 server unreachable or failing.
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from convoscope.cli.client import render
from convoscope.cli.client.errors import EXIT_JOB_FAILED, ClientError
from convoscope.cli.client.http import Client
from convoscope.cli.client.progress import JobProgress, upload_bar
from convoscope.cli.client.sources import job_options, read_source

EXPORT_TYPES = {"md": "text/markdown", "srt": "text/srt", "vtt": "text/vtt"}


def with_client(command: Callable[..., Any]) -> Callable[..., Any]:
    """Adds the server options, builds the `Client`, and turns `ClientError`s into message + exit code."""

    @click.option(
        "--url",
        envvar="CONVOSCOPE_URL",
        default="http://127.0.0.1:8000",
        show_default=True,
        help="Server base URL (CONVOSCOPE_URL).",
    )
    @click.option("--app-id", envvar="CONVOSCOPE_APP_ID", help="App id (CONVOSCOPE_APP_ID).")
    @click.option("--app-secret", envvar="CONVOSCOPE_APP_SECRET", help="App secret (CONVOSCOPE_APP_SECRET).")
    @functools.wraps(command)
    def wrapper(url: str, app_id: str | None, app_secret: str | None, **kwargs: Any) -> None:
        try:
            with Client(url, app_id, app_secret) as client:
                command(client, **kwargs)
        except ClientError as exc:
            click.echo(f"Error: {exc.message}", err=True)
            sys.exit(exc.exit_code)

    return wrapper


def print_json(value: Any) -> None:
    click.echo(json.dumps(value, indent=2, ensure_ascii=False))


@click.command()
@click.argument("source")
@click.option("--name", help="Conversation name.")
@click.option("--diarize", is_flag=True, help="Separate speakers (audio/video).")
@click.option(
    "--speakers", type=click.IntRange(1, 32), help="Expected number of speakers (implies --diarize)."
)
@click.option("--language", help="Language code, e.g. en-US (audio/video).")
@click.option("--vocabulary", multiple=True, help="Words to favour; repeat or comma-separate (audio/video).")
@click.option("--summary", is_flag=True, help="Also make a summary.")
@click.option(
    "--redact",
    is_flag=True,
    help="Mask personal data (card numbers, SSNs, names...) before it is stored; bleep it in media.",
)
@click.option("--wait", is_flag=True, help="Wait for the job, then print the transcript and insights.")
@click.option("--timeout", type=float, default=3600, show_default=True, help="Seconds --wait waits.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable JSON on stdout.")
@with_client
def process(
    client: Client,
    source: str,
    name: str | None,
    diarize: bool,
    speakers: int | None,
    language: str | None,
    vocabulary: tuple[str, ...],
    summary: bool,
    redact: bool,
    wait: bool,
    timeout: float,
    as_json: bool,
) -> None:
    """Submit SOURCE (a media FILE, a media URL, or a TEXT.json conversation) for processing."""
    found = read_source(source)
    options = job_options(
        found,
        name=name,
        diarize=diarize,
        speakers=speakers,
        language=language,
        vocabulary=vocabulary,
        summary=summary,
        redact=redact,
    )
    if found.text_body is not None:
        ids = client.submit_text(found.text_body, options)
    elif found.url is not None:
        ids = client.submit_url(found.url, found.kind, options)
    else:
        assert found.path is not None
        advance, finish = upload_bar(found.path.stat().st_size, f"Uploading {found.path.name}")
        try:
            ids = client.submit_file(found.path, found.kind, options, on_bytes=advance)
        finally:
            finish()
    if not wait:
        if as_json:
            print_json(ids)
        else:
            click.echo(f"conversationId: {ids['conversationId']}\njobId: {ids['jobId']}")
        return
    client.wait(
        ids["jobId"], JobProgress(ids["jobId"]), conversation_id=ids["conversationId"], timeout=timeout
    )
    _show(client, ids["conversationId"], with_insights=True, as_json=as_json, extra={"jobId": ids["jobId"]})


@click.command()
@click.argument("job_id")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable JSON on stdout.")
@with_client
def status(client: Client, job_id: str, as_json: bool) -> None:
    """Show a job's status (exit code 1 when it failed)."""
    job = client.job(job_id)
    if as_json:
        print_json(job)
    else:
        click.echo(job["status"] + (f": {job['message']}" if job.get("message") else ""))
    if job["status"] == "failed":
        sys.exit(EXIT_JOB_FAILED)


@click.group()
def conversations() -> None:
    """List, show, export and delete conversations on the server."""


@conversations.command("list")
@click.option("--limit", type=click.IntRange(1, 1000), default=20, show_default=True)
@click.option("--offset", type=click.IntRange(0), default=0, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Machine-readable JSON on stdout.")
@with_client
def list_conversations(client: Client, limit: int, offset: int, as_json: bool) -> None:
    """Conversations, newest first: id, start, duration, name, speakers."""
    found = client.conversations(limit=limit, offset=offset)
    if as_json:
        print_json(found)
        return
    for conversation in found:
        click.echo(render.conversation_line(conversation))
    if not found:
        click.echo("(no conversations)", err=True)


@conversations.command()
@click.argument("conversation_id")
@click.option("--insights", "with_insights", is_flag=True, help="Also show the insights.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable JSON on stdout.")
@with_client
def show(client: Client, conversation_id: str, with_insights: bool, as_json: bool) -> None:
    """A conversation's transcript (and, with --insights, its insights)."""
    _show(client, conversation_id, with_insights=with_insights, as_json=as_json)


@conversations.command()
@click.argument("conversation_id")
@click.option(
    "--format", "fmt", type=click.Choice(["md", "srt", "vtt", "json"]), default="md", show_default=True
)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="File to write.")
@with_client
def export(client: Client, conversation_id: str, fmt: str, output: Path | None) -> None:
    """Export the transcript as Markdown, SRT, VTT, or JSON (messages and insights)."""
    if fmt == "json":
        document = {
            "conversation": client.conversation(conversation_id),
            "messages": client.messages(conversation_id),
            "insights": client.insights(conversation_id),
        }
        text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    else:
        text = client.export(conversation_id, EXPORT_TYPES[fmt]).rstrip("\n") + "\n"
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        click.echo(f"Wrote {output}", err=True)


@conversations.command()
@click.argument("conversation_id")
@click.option("-y", "--yes", is_flag=True, help="Do not ask for confirmation.")
@with_client
def delete(client: Client, conversation_id: str, yes: bool) -> None:
    """Delete a conversation and everything in it, permanently."""
    client.conversation(conversation_id)  # a clear "not found" before asking
    if not yes and sys.stdin.isatty():
        click.confirm(f"Delete conversation {conversation_id} permanently?", abort=True)
    client.delete(conversation_id)
    click.echo(f"Deleted {conversation_id}")


def _show(
    client: Client,
    conversation_id: str,
    *,
    with_insights: bool,
    as_json: bool,
    extra: dict[str, Any] | None = None,
) -> None:
    conversation = client.conversation(conversation_id)
    messages = client.messages(conversation_id)
    found = client.insights(conversation_id) if with_insights else None
    if as_json:
        document: dict[str, Any] = {**(extra or {}), "conversation": conversation, "messages": messages}
        if found is not None:
            document["insights"] = found
        print_json(document)
        return
    click.echo(render.conversation_header(conversation) + "\n")
    click.echo(render.transcript(messages))
    if found is not None:
        click.echo("\n" + render.insights(found))


def register(group: click.Group) -> None:
    """Add the client commands to the `convoscope` group; show/export/delete also at the top level."""
    for command in (process, status, conversations, show, export, delete):
        group.add_command(command)
