"""Performance defaults: device and compute type, threads that follow the machine, step metrics."""

from __future__ import annotations

import os
from pathlib import Path
from types import SimpleNamespace

import pytest

from convoscope.config import Settings
from convoscope.jobs import media_processor
from convoscope.pipeline.models import device, pool
from convoscope.pipeline.models.device import batch_size_for, cpu_layout, default_cpu_threads, resolve_device
from convoscope.pipeline.models.pool import ModelPool
from convoscope.pipeline.torch_threads import limit_torch_threads
from convoscope.pipeline.transcribe import TranscriptionOptions, default_batch_size


def test_auto_device_uses_cuda_float16_when_a_gpu_is_present(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(device, "cuda_available", lambda: True)
    assert resolve_device("auto", "default") == ("cuda", "float16")
    assert resolve_device("auto", "auto") == ("cuda", "float16")


def test_auto_device_is_cpu_int8_without_a_gpu_float32_without_int8_kernels(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(device, "cuda_available", lambda: False)
    monkeypatch.setattr(device, "cpu_int8_supported", lambda: True)
    assert resolve_device("auto", "default") == ("cpu", "int8")
    monkeypatch.setattr(device, "cpu_int8_supported", lambda: False)
    assert resolve_device("auto", "default") == ("cpu", "float32")


def test_explicit_device_and_compute_type_win(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(device, "cuda_available", lambda: True)
    assert resolve_device("cpu", "float32") == ("cpu", "float32")
    assert resolve_device("auto", "int8_float16") == ("cuda", "int8_float16")


def test_batched_inference_is_the_default_on_every_device() -> None:
    """The job path builds options with `settings.asr.batched`; batching needs VAD, also on by default."""
    settings = Settings()
    options = TranscriptionOptions(batched=settings.asr.batched, batch_size=settings.asr.batch_size)
    assert options.batched and options.vad and options.batch_size == 0  # 0: by the model


@pytest.mark.parametrize(
    ("device", "compute_type", "threads", "size"),
    [
        ("cpu", "int8_float32", 1, 4),
        ("cpu", "int8", 1, 4),  # a greedy search reads the weights once for 4 chunks
        ("cpu", "int8", 2, 8),  # int8 on several threads gains from batches again
        ("cpu", "float32", 1, 8),
        ("cpu", "float32", 4, 8),
        ("cuda", "float16", 8, 16),
    ],
)
def test_batch_size_follows_the_device_compute_type_and_threads(
    device: str, compute_type: str, threads: int, size: int
) -> None:
    assert batch_size_for(device, compute_type, threads) == size


def test_batch_size_of_a_pool_and_of_a_loaded_model(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(device.os, "sched_getaffinity", lambda _pid: {0, 1}, raising=False)
    monkeypatch.setattr(pool, "resolve_model", lambda name, _dir: Path("/models") / name)
    monkeypatch.setattr(device, "cuda_available", lambda: False)
    assert ModelPool("/nonexistent", compute_type="int8").batch_size("base") == 4  # 2 streams x 1
    assert ModelPool("/nonexistent", compute_type="int8", streams=1).batch_size("base") == 8  # 1 x 2
    assert ModelPool("/nonexistent", compute_type="float32").batch_size("base") == 8
    # A loaded model does not tell its threads: its streams are taken to share the cores.
    two = SimpleNamespace(model=SimpleNamespace(device="cpu", compute_type="int8_float32", num_workers=2))
    one = SimpleNamespace(model=SimpleNamespace(device="cpu", compute_type="int8_float32", num_workers=1))
    assert default_batch_size(two) == 4  # type: ignore[arg-type]
    assert default_batch_size(one) == 8  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("cores", "layout"), [(1, (1, 1)), (2, (2, 1)), (4, (4, 1)), (8, (4, 2)), (32, (4, 8))]
)
def test_cpu_streams_and_threads_follow_the_cores_this_process_may_use(
    monkeypatch: pytest.MonkeyPatch, cores: int, layout: tuple[int, int]
) -> None:
    """One single-threaded decoder per core up to 4; the cores left over become threads per decoder."""
    monkeypatch.setattr(device.os, "sched_getaffinity", lambda _pid: set(range(cores)), raising=False)
    assert default_cpu_threads() == cores
    assert (Settings().asr.streams, Settings().asr.cpu_threads) == (0, 0)  # 0 = from the cores
    assert cpu_layout("cpu") == layout
    assert cpu_layout("cuda") == (1, cores)  # a GPU decodes one large batch at a time


def test_explicit_streams_or_threads_share_the_cores(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(device.os, "sched_getaffinity", lambda _pid: {0, 1}, raising=False)
    assert cpu_layout("cpu", streams=1) == (1, 2)  # the old layout: one decoder on every core
    assert cpu_layout("cpu", threads=2) == (1, 2)
    assert cpu_layout("cpu", streams=2, threads=2) == (2, 2)  # both given: taken as they are
    monkeypatch.setattr(pool, "resolve_model", lambda name, _dir: Path("/models") / name)
    key = ModelPool("/nonexistent", device="cpu", streams=1).key("base")
    assert (key.streams, key.cpu_threads) == (1, 2)


def test_a_one_stream_copy_is_offered_only_where_it_gets_more_threads(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(device.os, "sched_getaffinity", lambda _pid: {0, 1, 2, 3}, raising=False)
    monkeypatch.setattr(pool, "resolve_model", lambda name, _dir: Path("/models") / name)
    four = ModelPool("/nonexistent", device="cpu", compute_type="float32")  # 4 streams x 1 thread
    assert four.one_stream("base") is not None
    single = four.key("base", streams=1)
    assert (single.streams, single.cpu_threads) == (1, 4) and single != four.key("base")
    assert ModelPool("/nonexistent", device="cpu", streams=1).one_stream("base") is None
    assert ModelPool("/nonexistent", device="cpu", cpu_threads=1).one_stream("base") is None
    # int8 decoders get slower with more threads: short audio stays on one single-threaded stream
    assert ModelPool("/nonexistent", device="cpu", compute_type="int8").one_stream("base") is None
    # ... but decoded greedy first, the encoder's gain from more threads is worth the copy
    assert ModelPool("/nonexistent", device="cpu", compute_type="int8").one_stream("base", greedy=True)
    monkeypatch.setattr(device, "cuda_available", lambda: True)
    assert ModelPool("/nonexistent").one_stream("base") is None  # a GPU has one stream already


def test_torch_threads_are_limited_in_a_worker() -> None:
    import torch

    before = torch.get_num_threads()
    try:
        limit_torch_threads(1)
        assert torch.get_num_threads() == 1
        limit_torch_threads(0)  # 0 leaves it alone
        assert torch.get_num_threads() == 1
    finally:
        torch.set_num_threads(before)
    assert Settings().worker.torch_threads == 1


def test_speech_step_timings_feed_the_step_metric(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[tuple[str, float]] = []
    monkeypatch.setattr(media_processor.metrics, "step_finished", lambda step, s: seen.append((step, s)))
    timings = {"probe": 0.1, "decode": 0.2, "transcribe": 3.0, "speakers": 0.5, "segment": 0.01, "total": 4}
    media_processor.record_step_metrics(timings)
    assert seen == [("decode", 0.2), ("transcribe", 3.0), ("diarize", 0.5), ("segment", 0.01)]
    seen.clear()
    media_processor.record_step_metrics({**timings, "speakers": 0.0})
    assert ("diarize", 0.0) not in seen and ("transcribe", 3.0) in seen


def test_openmp_threads_sleep_when_idle_unless_the_operator_chose(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OMP_WAIT_POLICY", raising=False)
    device.configure_openmp()
    assert os.environ["OMP_WAIT_POLICY"] == "PASSIVE"
    monkeypatch.setenv("OMP_WAIT_POLICY", "ACTIVE")
    device.configure_openmp()
    assert os.environ["OMP_WAIT_POLICY"] == "ACTIVE"
