"""Progress on stderr, so stdout stays clean for the transcript or `--json`."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable

import click


class JobProgress:
    """Shows a job's status as it changes: one line rewritten on a terminal, one line per change elsewhere."""

    def __init__(self, job_id: str) -> None:
        self.job_id = job_id
        self.started = time.monotonic()
        self.last: str | None = None
        self.live = sys.stderr.isatty()

    def __call__(self, status: str) -> None:
        elapsed = time.monotonic() - self.started
        shown = "queued" if status == "scheduled" else status.replace("_", " ")
        line = f"Job {self.job_id}: {shown} ({elapsed:.0f}s)"
        if self.live:
            click.echo(f"\r{line}\033[K", nl=status in ("completed", "failed"), err=True)
        elif status != self.last:
            click.echo(line, err=True)
        self.last = status


def upload_bar(size: int, label: str) -> tuple[Callable[[int], None], Callable[[], None]]:
    """A byte progress bar: returns (advance, finish)."""
    bar = click.progressbar(length=size, label=label, file=sys.stderr, show_pos=False, show_percent=True)
    bar.__enter__()

    def finish() -> None:
        bar.__exit__(None, None, None)

    return bar.update, finish
