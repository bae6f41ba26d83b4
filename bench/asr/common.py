"""Shared helpers for the ASR benchmarks: the clips with references and the WER scoring rules."""

from __future__ import annotations

import multiprocessing as mp
import os
import re
import resource
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DATA = Path(os.environ.get("CONVOSCOPE_SHARED_DATA", Path(__file__).resolve().parents[3] / "shared" / "data"))


@dataclass(frozen=True)
class Clip:
    name: str
    file: str
    references: tuple[str, ...]  # one per channel when `per_channel`, else one
    per_channel: bool = False
    mode: str = "default"


CLIPS = (
    Clip("jfk", "jfk.flac", ("jfk.txt",)),
    Clip("osr_8k", "osr_us_000_0034_8k.wav", ("osr_us_000_0034_8k.txt",), mode="phone"),
    Clip("conv2_harvard", "conv2_harvard.wav", ("conv2_harvard.txt",)),
    Clip(
        "stereo",
        "stereo_diarization.wav",
        ("stereo_diarization.left.txt", "stereo_diarization.right.txt"),
        per_channel=True,
    ),
)


def normalize(text: str) -> str:
    """The shared data README's rules: lowercase, '-' to space, keep a-z0-9' and spaces, collapse."""
    text = text.lower().replace("-", " ")
    text = re.sub(r"[^a-z0-9' ]", "", text.replace("\n", " "))
    return " ".join(text.split())


def reference(name: str) -> str:
    return (DATA / name).read_text()


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def models_dir() -> Path:
    return Path(
        os.environ.get("CONVOSCOPE_MODELS_DIR", Path(__file__).resolve().parents[2] / "data" / "models")
    )


def plain_whisper(model: str, compute_type: str = "default", threads: int = 0) -> Any:
    """The model as a plain faster-whisper user loads it: one decoder on every core this process has.

    Our pool's CPU default is several single-threaded streams (`models.device.cpu_layout`); the baseline is
    faster-whisper's usual setup with the same total threads (or `threads`), and the compute type our
    pool resolves `compute_type` to.
    """
    from faster_whisper import WhisperModel

    from convoscope.pipeline.models.device import default_cpu_threads
    from convoscope.pipeline.models.pool import ModelPool

    key = ModelPool(models_dir(), compute_type=compute_type).key(model)
    return WhisperModel(
        key.path,
        device=key.device,
        compute_type=key.compute_type,
        cpu_threads=threads or default_cpu_threads(),
    )


def in_child(target: Callable[..., Any], *args: Any) -> Any:
    """Run `target(*args)` in a fresh spawned process and return what it returns."""
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=_trampoline, args=(target, args, queue))
    proc.start()
    ok, value = queue.get()
    proc.join()
    if not ok:
        raise RuntimeError(f"child failed: {value}")
    return value


def _trampoline(target: Callable[..., Any], args: tuple[Any, ...], queue: Any) -> None:
    try:
        queue.put((True, target(*args)))
    except BaseException as exc:  # report, then let the parent raise
        import traceback

        queue.put((False, "".join(traceback.format_exception(exc))))
