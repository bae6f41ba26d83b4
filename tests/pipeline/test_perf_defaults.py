"""Performance defaults: device and compute type, threads that follow the machine, step metrics."""

from __future__ import annotations

import pytest

from convoscope.config import Settings
from convoscope.jobs import media_job
from convoscope.pipeline import models
from convoscope.pipeline.models import ModelPool, default_cpu_threads, resolve_device
from convoscope.pipeline.transcribe import TranscriptionOptions


def test_auto_device_uses_cuda_float16_when_a_gpu_is_present(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(models, "cuda_available", lambda: True)
    assert resolve_device("auto", "default") == ("cuda", "float16")
    assert resolve_device("auto", "auto") == ("cuda", "float16")


def test_auto_device_is_cpu_float32_without_a_gpu(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(models, "cuda_available", lambda: False)
    assert resolve_device("auto", "default") == ("cpu", "float32")


def test_explicit_device_and_compute_type_win(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(models, "cuda_available", lambda: True)
    assert resolve_device("cpu", "default") == ("cpu", "float32")
    assert resolve_device("auto", "int8_float16") == ("cuda", "int8_float16")


def test_batched_inference_is_the_default_on_every_device() -> None:
    """The job path builds options with `Settings.asr_batched`; batching needs VAD, also on by default."""
    options = TranscriptionOptions(batched=Settings().asr_batched)
    assert options.batched and options.vad and options.batch_size >= 8


@pytest.mark.parametrize("cores", [1, 2, 8, 32])
def test_cpu_threads_follow_the_cores_this_process_may_use(
    monkeypatch: pytest.MonkeyPatch, cores: int
) -> None:
    monkeypatch.setattr(models.os, "sched_getaffinity", lambda _pid: set(range(cores)), raising=False)
    assert default_cpu_threads() == cores
    assert Settings().asr_cpu_threads == 0  # 0 = all cores
    assert ModelPool("/nonexistent", cpu_threads=0).cpu_threads == cores
    assert ModelPool("/nonexistent", cpu_threads=1).cpu_threads == 1


def test_speech_step_timings_feed_the_step_metric(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[tuple[str, float]] = []
    monkeypatch.setattr(media_job.metrics, "step_finished", lambda step, s: seen.append((step, s)))
    timings = {"probe": 0.1, "decode": 0.2, "transcribe": 3.0, "speakers": 0.5, "segment": 0.01, "total": 4}
    media_job.record_step_metrics(timings)
    assert seen == [("decode", 0.2), ("transcribe", 3.0), ("diarize", 0.5), ("segment", 0.01)]
    seen.clear()
    media_job.record_step_metrics({**timings, "speakers": 0.0})
    assert ("diarize", 0.0) not in seen and ("transcribe", 3.0) in seen
