"""Keep torch to few threads in a worker, where the speech decoder owns the cores.

torch's OpenMP pool stays alive in the job thread that last used it (insights, diarization); on a
2-core machine that alone made the next transcription in the same worker markedly slower (compare
`bench/perf/job_vs_bare.py --variants job job-torch-default`). The models torch runs here are
small: one thread costs the sentence embeddings far less than that (`bench/perf/tune.py`). The
figures are in `bench/README.md`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import structlog

log = structlog.get_logger(__name__)


def limit_torch_threads(threads: int) -> None:
    """Set torch's intra-op threads for this process; 0 leaves torch's default."""
    if threads <= 0:
        return
    import torch

    if torch.get_num_threads() != threads:
        torch.set_num_threads(threads)
        log.debug("torch.threads", threads=threads)


@contextmanager
def torch_threads(threads: int) -> Iterator[None]:
    """Run torch with `threads` intra-op threads, then restore the process setting.

    The speaker encoder's matrices are small (batch x 256 per LSTM step), so extra threads mostly
    spin: one thread was 1.3x slower than two on an idle 2-core machine, but 5-8x faster on a busy one.
    """
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(threads)
    try:
        yield
    finally:
        torch.set_num_threads(before)
