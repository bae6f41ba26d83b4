"""Model weights and pool: Whisper base assembled with its sha256 check, listing, resolving, loading once."""

from __future__ import annotations

import json
import os
import shutil
import threading
from pathlib import Path

import pytest

from convoscope.pipeline.models import device, weights
from convoscope.pipeline.models import pool as pool_module
from convoscope.pipeline.models.pool import ModelPool


@pytest.fixture(scope="session")
def base_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Whisper base assembled once for this module into a temporary models dir."""
    return weights.ensure_base_model(tmp_path_factory.mktemp("models"))


def test_base_is_assembled_verified_and_stamped(base_dir: Path) -> None:
    assert {p.name for p in base_dir.iterdir()} == {
        "config.json",
        "tokenizer.json",
        "vocabulary.txt",
        "model.bin",
        weights.STAMP_NAME,
    }
    stamp = json.loads((base_dir / weights.STAMP_NAME).read_text())
    assert stamp["sha256"] == weights.BASE_SHA256
    assert stamp["size"] == (base_dir / "model.bin").stat().st_size == 145217532
    weights.verify_model_dir(base_dir, weights.BASE_SHA256)


def test_later_starts_trust_the_stamp(base_dir: Path) -> None:
    before = (base_dir / "model.bin").stat().st_mtime_ns
    assert weights.ensure_base_model(base_dir.parent) == base_dir
    assert (base_dir / "model.bin").stat().st_mtime_ns == before  # not rewritten


def test_a_damaged_copy_is_rehashed_and_replaced(base_dir: Path, tmp_path: Path) -> None:
    copy = tmp_path / weights.BASE_DIR_NAME
    shutil.copytree(base_dir, copy)
    with (copy / "model.bin").open("r+b") as f:  # flip one byte: size unchanged, mtime changes
        f.seek(1000)
        byte = f.read(1)
        f.seek(1000)
        f.write(bytes([byte[0] ^ 0xFF]))
    os.utime(copy / "model.bin", ns=(0, 12345))
    assert weights.ensure_base_model(tmp_path) == copy
    weights.verify_model_dir(copy, weights.BASE_SHA256)


def test_wrong_hash_from_the_parts_raises_and_leaves_nothing(tmp_path: Path) -> None:
    parts = weights._base_parts()
    assert parts is not None
    bad = tmp_path / "parts"
    bad.mkdir()
    for name in weights.BASE_SIDE_FILES:
        shutil.copyfile(parts[0].parent / name, bad / name)
    part1 = bad / "model.bin.part1"
    part1.write_bytes(b"not the model")
    target_root = tmp_path / "models"
    with pytest.raises(weights.ModelIntegrityError, match="expected d01c3014"):
        weights.ensure_base_model(target_root, parts=(part1, parts[1]))
    assert not (target_root / weights.BASE_DIR_NAME / "model.bin").exists()
    assert not list((target_root / weights.BASE_DIR_NAME).glob(".model.bin.tmp*"))


def test_verify_model_dir_detects_a_mismatch(base_dir: Path) -> None:
    with pytest.raises(weights.ModelIntegrityError, match="sha256"):
        weights.verify_model_dir(base_dir, "0" * 64)


def test_list_models_and_resolution(tmp_path: Path) -> None:
    listed = {m.name: m for m in weights.list_models(tmp_path)}
    assert listed["base"].installed and listed["base"].default
    assert listed["tiny.en"].installed and not listed["tiny.en"].default
    tiny = weights.resolve_model("tiny.en", tmp_path)
    assert (tiny / "model.bin").is_file()
    assert weights.resolve_model(str(tiny), tmp_path) == tiny  # any CTranslate2 directory
    custom = {m.name: m for m in weights.list_models(tmp_path, default=str(tiny))}
    assert custom[str(tiny)].default and custom[str(tiny)].installed
    with pytest.raises(weights.ModelError, match="unknown speech model 'large'"):
        weights.resolve_model("large", tmp_path)


def test_device_resolution_on_this_machine() -> None:
    if device.cuda_available():
        assert device.resolve_device() == ("cuda", "float16")
    else:
        assert device.resolve_device() == ("cpu", "int8" if device.cpu_int8_supported() else "float32")
    assert device.resolve_device("cpu", "int8") == ("cpu", "int8")
    assert device.default_cpu_threads() >= 1


@pytest.mark.slow
def test_pool_loads_each_model_once_across_threads(speech_pool: ModelPool) -> None:
    pool = ModelPool(speech_pool.models_dir, default_model="tiny.en")  # its own: nothing loaded yet
    results: list[object] = []
    threads = [threading.Thread(target=lambda: results.append(pool.get("tiny.en"))) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len({id(m) for m in results}) == 1
    assert pool.get() is results[0]  # the default model of this pool is tiny.en
    assert len(pool.loaded()) == 1


def test_pool_resolves_each_model_name_once(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The stamp is checked on a pool's first use of a name, not on every call of a job."""
    calls: list[str] = []

    def resolve(name: str, models_dir: Path) -> Path:
        calls.append(name)
        if name == "missing":
            raise weights.ModelError("not installed")
        return weights.resolve_model(name, models_dir)

    monkeypatch.setattr(pool_module, "resolve_model", resolve)
    local = ModelPool(tmp_path, default_model="tiny.en", device="cpu")
    threads = [threading.Thread(target=local.key) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    local.batch_size()
    local.one_stream("tiny.en")
    assert local.key("tiny.en").path == str(weights.tiny_en_path())
    assert calls == ["tiny.en"]
    for _ in range(2):  # a failed resolution is not kept
        with pytest.raises(weights.ModelError):
            local.key("missing")
    assert calls == ["tiny.en", "missing", "missing"]
