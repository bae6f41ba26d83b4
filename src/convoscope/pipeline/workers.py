"""Independent pieces of model work (network batches, VAD blocks) on one-thread workers.

Used by diarization and by the insights' sentence embeddings.

With more than one idle core, the batches of a network run side by side, each on a worker thread
with one torch thread, instead of one batch at a time on several intra-op threads. Intra-op threads
(OpenMP) meet at a barrier after every layer, and these networks are small per layer, so the threads
largely wait for each other; when another process takes a core, every layer waits for the thread it
descheduled. On the shared 2-core machine at load average 7, two intra-op threads took segmentation
of 2 minutes 45-92 s against 3-7 s on one, and CAM++ 77-120 s against 25-28 s. Workers never wait
for one another, and each computes its batch exactly as one thread does (the same batch, the same
kernels), so results do not depend on the thread count. torch releases the GIL inside its kernels,
as ONNX Runtime (the VAD) does inside a run.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")


class Cores:
    """Workers a piece of work may use, a number that grows while it runs: diarization that starts
    beside the speech decoder's last batch has one core, and the decoder's cores once it ends.

    A growth is told at once to the maps running on it (`watch`): a new worker takes the next piece
    then, not only when a running piece ends (a CAM++ batch is 0.4 s on one core)."""

    def __init__(self, count: int = 1) -> None:
        self._count = max(1, count)
        self._lock = threading.Lock()
        self._watchers: list[Callable[[], None]] = []

    @property
    def count(self) -> int:
        return self._count

    def grow_to(self, count: int) -> None:
        with self._lock:
            if count <= self._count:
                return
            self._count = count
            watchers = list(self._watchers)
        for watcher in watchers:
            watcher()

    def watch(self, watcher: Callable[[], None]) -> Callable[[], None]:
        """Call `watcher` after each growth until the returned function is called."""
        with self._lock:
            self._watchers.append(watcher)

        def unwatch() -> None:
            with self._lock:
                self._watchers.remove(watcher)

        return unwatch

    def __repr__(self) -> str:
        return f"Cores({self._count})"


Threads = int | Cores  # a fixed number of workers, or a number that may grow


def thread_count(threads: Threads) -> int:
    """How many workers `threads` allows now."""
    return threads.count if isinstance(threads, Cores) else threads


def map_threads(work: Callable[[int], T], count: int, threads: Threads) -> list[T]:
    """[work(0), ..., work(count - 1)], on up to `threads` worker threads (here with one)."""
    if isinstance(threads, Cores):
        return _growing(work, count, threads)
    if threads < 2 or count < 2:
        return [work(index) for index in range(count)]
    with ThreadPoolExecutor(min(threads, count), thread_name_prefix="model-work") as pool:
        return list(pool.map(work, range(count)))


def _growing(work: Callable[[int], T], count: int, cores: Cores) -> list[T]:
    """`map_threads` on this thread and one more worker whenever `cores` allows one more while
    pieces are left (each piece is still computed on one thread, so the results are the same)."""
    results: list[T | None] = [None] * count
    lock = threading.Lock()
    taken = [0]
    errors: list[BaseException] = []
    helpers: list[threading.Thread] = []

    def add_helpers() -> None:  # under `lock`: a worker for each core allowed, while pieces are left
        while 1 + len(helpers) < cores.count and taken[0] < count and not errors:
            helpers.append(threading.Thread(target=run, name="model-work"))
            helpers[-1].start()

    def grown() -> None:
        with lock:
            add_helpers()

    def take() -> int | None:
        with lock:
            if errors or taken[0] >= count:
                return None
            index, taken[0] = taken[0], taken[0] + 1
            add_helpers()
            return index

    def run() -> None:
        while (index := take()) is not None:
            try:
                results[index] = work(index)
            except BaseException as error:  # raised again in the calling thread
                errors.append(error)
                return

    unwatch = cores.watch(grown)
    try:
        run()
    finally:
        unwatch()
    with lock:
        started = list(helpers)  # none starts once this thread has found no piece left
    for helper in started:
        helper.join()
    if errors:
        raise errors[0]
    return results  # type: ignore[return-value]  # every piece is done


@dataclass(frozen=True)
class TorchPieces:
    """`count` independent pieces of one network's work (`work(index)`), in bfloat16 if `bf16`
    (None: when the CPU has it)."""

    count: int
    work: Callable[[int], object]
    bf16: bool | None


def run_torch(parts: Sequence[TorchPieces], threads: Threads) -> list[float]:
    """Every piece of `parts` as torch inference on one-thread workers, from one queue in the given
    order; returns each part's seconds (its pieces' durations summed).

    One queue for several networks (CAM++ and segmentation) leaves no worker idle at the end of the
    first network's pieces while the other's wait: a core freed while diarization runs takes the next
    piece of either. Each piece is computed as on one thread, so the results are the same.
    """
    import torch

    from convoscope.pipeline.diarize.embed import bf16_supported
    from convoscope.pipeline.torch_threads import torch_threads

    native = any(part.bf16 is None for part in parts) and bf16_supported()
    owners = [(which, index) for which, part in enumerate(parts) for index in range(part.count)]
    seconds = [0.0] * len(parts)
    lock = threading.Lock()

    def run(flat: int) -> None:
        which, index = owners[flat]
        part = parts[which]
        bf16 = native if part.bf16 is None else part.bf16
        started = time.monotonic()
        # inference mode and autocast are per thread in torch: each worker enters its own
        with torch.inference_mode(), torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
            part.work(index)
        with lock:
            seconds[which] += time.monotonic() - started

    # One torch thread for the process while the workers run: a worker's first parallel region
    # takes the process setting, so none of them starts a team of its own.
    with torch_threads(1):
        map_threads(run, len(owners), threads)
    return seconds


def map_torch(work: Callable[[int], T], count: int, threads: Threads, bf16: bool | None) -> list[T]:
    """`map_threads` of torch inference: one torch thread per worker, in bfloat16 if `bf16` (None:
    when the CPU has it)."""
    results: list[T | None] = [None] * count

    def keep(index: int) -> None:
        results[index] = work(index)

    run_torch([TorchPieces(count, keep, bf16)], threads)
    return results  # type: ignore[return-value]  # every piece is done
