"""What the hardware offers the speech model, and the layout and batch size that suit it.

The probes ask CTranslate2 (a GPU, int8 kernels for this CPU); the rules turn the answers and the
cores this process may use into a device, a compute type, decoder streams, threads per stream and
chunks per batch. Each default was chosen by measurement: the figures, and the benchmark that
gives them, are in `bench/README.md`.
"""

from __future__ import annotations

import os


def cuda_available() -> bool:
    """Whether CTranslate2 sees a CUDA device (False when built without CUDA)."""
    try:
        import ctranslate2

        return bool(ctranslate2.get_cuda_device_count() > 0)
    except Exception:
        return False


def cpu_int8_supported() -> bool:
    """Whether CTranslate2 has int8 kernels for this CPU."""
    try:
        import ctranslate2

        return "int8" in ctranslate2.get_supported_compute_types("cpu")
    except Exception:
        return False


def resolve_device(device: str = "auto", compute_type: str = "default") -> tuple[str, str]:
    """`auto` picks CUDA with float16 when present, else the CPU with int8 where it has int8 kernels.

    On a CPU, int8 decodes a job markedly faster than float32 with the same WER on the reference
    clips (measured by `bench/perf/job_vs_bare.py --compute-type ...`; figures in `bench/README.md`).
    """
    if device == "auto":
        device = "cuda" if cuda_available() else "cpu"
    if compute_type in ("default", "auto") and device == "cuda":
        compute_type = "float16"
    elif compute_type in ("default", "auto"):
        compute_type = "int8" if cpu_int8_supported() else "float32"
    return device, compute_type


def configure_openmp() -> None:
    """Before the speech model is loaded: OpenMP threads with nothing to do sleep instead of spinning
    (`OMP_WAIT_POLICY=PASSIVE`, unless the operator chose otherwise).

    Only a stream of several threads (the one-stream copy for short recordings) runs OpenMP teams.
    In a worker, whose other threads (insights, the API, torch's own OpenMP pool) share the cores,
    spinning threads made that copy's decoding of jfk.flac take 14-41 s instead of 4-6 s on a loaded
    2-core machine (`bench/README.md`). libgomp reads the variable when CTranslate2 is first imported.
    """
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")


def default_cpu_threads() -> int:
    """All the cores this process may use (CTranslate2's own default is 4 whatever the machine)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


MAX_AUTO_STREAMS = 4


def cpu_layout(device: str, streams: int = 0, threads: int = 0) -> tuple[int, int]:
    """(decoder streams, threads per stream) for a model; 0 means choose from the cores.

    On a CPU, parts of a recording decoded side by side with one thread each beat one decoder using
    every core (measured by `bench/perf/tune.py --seconds 120`; figures in `bench/README.md`).
    Streams stop at 4 (more parts means smaller batches); the cores left over become threads per
    stream. A GPU gets one stream of large batches.
    """
    cores = default_cpu_threads()
    if device != "cpu":
        return streams or 1, threads or cores
    if not streams:
        streams = min(MAX_AUTO_STREAMS, max(1, cores // threads) if threads else cores)
    return streams, threads or max(1, cores // streams)


def batch_size_for(device: str, compute_type: str, threads: int) -> int:
    """Chunks one decoding stream decodes at once: 4 for a single-threaded int8 stream, 8 on other
    CPU streams, 16 on a GPU.

    A greedy search (`greedy_first`, the default) multiplies one row of activations by each weight
    matrix per token: from memory, not from compute. A batch reads the decoder's weights once for
    all its rows: on a single-threaded int8 stream of an AVX-512 (VNNI) EPYC the greedy decoder's CPU
    per 30 s chunk fell from 1.0-1.1 s to 0.67-0.75 s in batches of 2 and 0.53-0.56 s in batches of
    4, the words unchanged. The encoder gains nothing from a batch, and encoded at once its
    self-attention held every row's scores (a 10-minute job's worker peaked at 1429 / 1555 / 1856 MB
    with 1 / 2 / 4 chunks a batch); it now encodes a batch one chunk at a time (`encoder_rows`), and
    batches of 4 peak at 1574 MB, 8 at 1663 MB (`bench/perf/memory.py`). 4 were as fast as 8 on
    4-minute jobs and 1.3x faster than 2 (round 8). On more threads, and in float32, batches of 8
    beat batches of 1, and 16 were no faster than 8 in float32. A GPU wants wide batches. Figures in
    `bench/README.md` (rounds 7 and 8).
    """
    if device != "cpu":
        return 16
    return 4 if compute_type.startswith("int8") and threads == 1 else 8
