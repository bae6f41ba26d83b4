"""Imported by the fork server of `pipeline.isolated` only (one of its preloaded modules): the
children it forks start without running the program's main module again.

multiprocessing prepares each child (`spawn.prepare`) by running the parent's main module once
more, unless the fork server holds it already; on Python 3.11 the fork server's preload of
`__main__` never happens (it looks for a `main_path` key that the preparation data calls
`init_main_from_path`). Under the `convoscope` command that meant importing `convoscope.cli.main`,
the whole server, in every child that probed or decoded a file: 0.6 s a child, two or three a job.
The children run functions of this package, never anything defined in `__main__`, so the fork
server drops the main module from their preparation. Only this fork server's process is changed:
the server's own `multiprocessing` is left as it is.
"""

from __future__ import annotations

from collections.abc import Mapping
from multiprocessing import spawn
from typing import Any

# What `spawn.prepare` runs the main module from (a script's path, or a module's name for `-m`).
MAIN_MODULE_KEYS = ("init_main_from_path", "init_main_from_name")
_prepare = spawn.prepare


def prepare_without_main(data: Mapping[str, Any]) -> None:
    """`spawn.prepare` (paths, working directory, start method...) without the main module."""
    _prepare({key: value for key, value in data.items() if key not in MAIN_MODULE_KEYS})


spawn.prepare = prepare_without_main
