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
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")


class Cores:
    """Workers a piece of work may use, a number that grows while it runs: diarization that starts
    beside the speech decoder's last batch has one core, and the decoder's cores once it ends."""

    def __init__(self, count: int = 1) -> None:
        self._count = max(1, count)

    @property
    def count(self) -> int:
        return self._count

    def grow_to(self, count: int) -> None:
        self._count = max(self._count, count)

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
    """`map_threads` on this thread and one more worker whenever `cores` allows one more as a piece
    is taken (each piece is still computed on one thread, so the results are the same)."""
    results: list[T | None] = [None] * count
    lock = threading.Lock()
    taken = [0]
    errors: list[BaseException] = []
    helpers: list[threading.Thread] = []

    def take() -> int | None:
        with lock:
            if errors or taken[0] >= count:
                return None
            index, taken[0] = taken[0], taken[0] + 1
            if 1 + len(helpers) < cores.count and taken[0] < count:  # a core is free: work beside
                helpers.append(threading.Thread(target=run, name="model-work"))
                helpers[-1].start()
            return index

    def run() -> None:
        while (index := take()) is not None:
            try:
                results[index] = work(index)
            except BaseException as error:  # raised again in the calling thread
                errors.append(error)
                return

    run()
    for helper in helpers:  # none starts once this thread has found no piece left
        helper.join()
    if errors:
        raise errors[0]
    return results  # type: ignore[return-value]  # every piece is done


def map_torch(work: Callable[[int], T], count: int, threads: Threads, bf16: bool | None) -> list[T]:
    """`map_threads` of torch inference: one torch thread per worker, in bfloat16 if `bf16` (None:
    when the CPU has it)."""
    import torch

    from convoscope.pipeline.torch_threads import torch_threads

    if bf16 is None:
        from convoscope.pipeline.diarize.embed import bf16_supported

        bf16 = bf16_supported()

    def run(index: int) -> T:
        # inference mode and autocast are per thread in torch: each worker enters its own
        with torch.inference_mode(), torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
            return work(index)

    # One torch thread for the process while the workers run: a worker's first parallel region
    # takes the process setting, so none of them starts a team of its own.
    with torch_threads(1):
        return map_threads(run, count, threads)
