"""Probing and decoding children start without running the program's main module again (under the
`convoscope` command that was the whole server's imports in every child)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from tests.fixtures.paths import SHARED_DATA

PROGRAM = """
    from pathlib import Path

    Path({marker!r}).open("a").write("imported\\n")  # what a program's imports would do, once

    if __name__ == "__main__":
        import numpy as np

        from convoscope.pipeline import isolated

        info = isolated.probe({media!r})
        audio = np.concatenate(list(isolated.iter_frames({media!r})), axis=1)
        with isolated.probed_frames({media!r}) as (again, blocks):
            assert again == info and sum(b.shape[1] for b in blocks) == audio.shape[1]
        print(f"{{info.duration:.1f}}")
"""


def test_children_do_not_run_the_main_module(tmp_path: Path) -> None:
    marker = tmp_path / "imported.txt"
    program = tmp_path / "program.py"
    program.write_text(
        textwrap.dedent(PROGRAM.format(marker=str(marker), media=str(SHARED_DATA / "jfk.flac")))
    )
    run = subprocess.run(
        [sys.executable, str(program)], capture_output=True, text=True, timeout=300, env=os.environ.copy()
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.split()[-1] == "11.0"  # the children did their work: three of them
    assert marker.read_text() == "imported\n"  # and none of them ran the program again
