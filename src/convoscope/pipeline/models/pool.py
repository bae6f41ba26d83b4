"""The one pool that loads speech models: each (model, device, compute type, streams, threads) once.

`ModelPool` hands the same `WhisperModel` to every job of a process; loading is guarded by a lock
so concurrent jobs never load twice. A model name is resolved to its directory once per pool (the
first resolution assembles or re-checks the weights, `weights.resolve_model`); the device layout
follows `device`.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import structlog

from convoscope.pipeline.models.device import batch_size_for, cpu_layout, resolve_device
from convoscope.pipeline.models.weights import DEFAULT_MODEL, ModelError, resolve_model

if TYPE_CHECKING:
    from faster_whisper import WhisperModel

log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class PoolKey:
    """What makes two loaded models different."""

    path: str
    device: str
    compute_type: str
    cpu_threads: int  # per stream
    streams: int  # batches decoded at once (CTranslate2 workers)


class ModelPool:
    """Loads each Whisper model once per process; thread-safe.

    `get()` with no arguments returns the configured default. Models stay loaded for the life of the
    pool (a worker process), so jobs never pay the load time.
    """

    def __init__(
        self,
        models_dir: str | Path,
        *,
        default_model: str = DEFAULT_MODEL,
        device: str = "auto",
        compute_type: str = "default",
        cpu_threads: int = 0,
        streams: int = 0,
    ) -> None:
        self.models_dir = Path(models_dir)
        self.default_model = default_model
        self.device = device
        self.compute_type = compute_type
        self.cpu_threads = cpu_threads  # 0: from the cores (`cpu_layout`)
        self.streams = streams
        self._models: dict[PoolKey, WhisperModel] = {}
        self._lock = threading.Lock()
        self._key_locks: dict[PoolKey, threading.Lock] = {}
        self._paths: dict[str, Path] = {}  # model name -> its directory, resolved once
        self._resolve_lock = threading.Lock()

    def path(self, name: str | None = None) -> Path:
        """The directory of `name` (default model when None), resolved on first use only.

        The first resolution checks the weights (assembling `base` if need be, `resolve_model`);
        later calls (several a job) reuse its answer instead of reading the stamp again. A failed
        resolution is not kept: the next call tries again.
        """
        name = name or self.default_model
        path = self._paths.get(name)
        if path is None:
            with self._resolve_lock:  # one resolution per name, even when jobs start together
                path = self._paths.get(name)
                if path is None:
                    path = resolve_model(name, self.models_dir)
                    self._paths[name] = path
        return path

    def key(
        self,
        name: str | None = None,
        *,
        device: str | None = None,
        compute_type: str | None = None,
        cpu_threads: int | None = None,
        streams: int | None = None,
    ) -> PoolKey:
        path = self.path(name)
        dev, ctype = resolve_device(device or self.device, compute_type or self.compute_type)
        streams, threads = cpu_layout(dev, streams or self.streams, cpu_threads or self.cpu_threads)
        return PoolKey(str(path), dev, ctype, threads, streams)

    def get(
        self,
        name: str | None = None,
        *,
        device: str | None = None,
        compute_type: str | None = None,
        cpu_threads: int | None = None,
        streams: int | None = None,
    ) -> WhisperModel:
        """The loaded model for `name` (default model when None), loading it on first use."""
        key = self.key(
            name, device=device, compute_type=compute_type, cpu_threads=cpu_threads, streams=streams
        )
        with self._lock:
            model = self._models.get(key)
            if model is not None:
                return model
            key_lock = self._key_locks.setdefault(key, threading.Lock())
        with key_lock:  # one load per key; other keys load in parallel
            model = self._models.get(key)
            if model is None:
                model = _load(key)
                with self._lock:
                    self._models[key] = model
        return model

    def one_stream(
        self, name: str | None = None, *, greedy: bool = False
    ) -> Callable[[], WhisperModel] | None:
        """A loader of `name` as one stream on all the threads, for audio too short to share among
        streams; None when the usual layout is one stream already, would not get more threads, or
        the model is int8 decoded with the beam search on every chunk (`greedy` False), whose
        decoder gets slower, not faster, with more threads.

        In float32, one chunk decodes sooner on one stream with every thread than on one of several
        single-threaded streams, while two chunks are sooner on two streams; in int8 with the beam
        search the one stream is no faster, and slower on dense speech (measured by
        `bench/perf/tune.py --short 20 30 45`); in int8 decoded greedy first, the encoder's gain from
        a second thread is no longer lost in the beam search, and 15-30 s of dense speech decode
        sooner on the one stream (figures in `bench/README.md`). The copy costs the model's weights
        again, so it loads on first use (or at a worker's warm-up).
        """
        usual = self.key(name)
        _streams, threads = cpu_layout(usual.device, 1, self.cpu_threads)  # what `streams=1` gets
        beam_int8 = usual.compute_type.startswith("int8") and not greedy
        if usual.streams == 1 or threads <= usual.cpu_threads or beam_int8:
            return None
        return lambda: self.get(name, streams=1)

    def batch_size(self, name: str | None = None) -> int:
        """Chunks per batch for `name` in this pool's layout (`batch_size_for`)."""
        key = self.key(name)
        return batch_size_for(key.device, key.compute_type, key.cpu_threads)

    def loaded(self) -> list[PoolKey]:
        with self._lock:
            return list(self._models)


def _load(key: PoolKey) -> WhisperModel:
    from faster_whisper import WhisperModel

    started = time.monotonic()
    try:
        model = WhisperModel(
            key.path,
            device=key.device,
            compute_type=key.compute_type,
            cpu_threads=key.cpu_threads,
            num_workers=key.streams,
            local_files_only=True,
        )
    except (RuntimeError, ValueError, OSError) as error:
        raise ModelError(f"cannot load speech model {key.path}: {error}") from error
    log.info(
        "asr.model.loaded",
        path=key.path,
        device=key.device,
        compute_type=key.compute_type,
        cpu_threads=key.cpu_threads,
        streams=key.streams,
        seconds=round(time.monotonic() - started, 3),
    )
    return model
