"""Diarization's work on several threads: batches side by side on one-thread workers, same results."""

from __future__ import annotations

import threading

import numpy as np
import pytest
import torch

from convoscope.pipeline.diarize import DiarizeSettings, diarize
from convoscope.pipeline.diarize.regions import BLOCK_SECONDS, SAMPLE_RATE
from convoscope.pipeline.workers import Cores, map_threads, map_torch


def test_torch_work_runs_on_one_thread_workers_in_inference_mode() -> None:
    before = torch.get_num_threads()
    seen: dict[int, tuple[int, int, bool]] = {}
    barrier = threading.Barrier(2, timeout=30)  # both workers must be running at once

    def work(index: int) -> int:
        barrier.wait()
        seen[index] = (threading.get_ident(), torch.get_num_threads(), torch.is_inference_mode_enabled())
        return index * index

    assert map_torch(work, 2, threads=2, bf16=False) == [0, 1]
    assert len({ident for ident, _, _ in seen.values()}) == 2
    assert all(threads == 1 and inference for _, threads, inference in seen.values())
    assert torch.get_num_threads() == before  # the process setting is given back


def test_one_thread_runs_the_pieces_here_in_order() -> None:
    idents: list[int] = []
    assert map_threads(lambda i: idents.append(threading.get_ident()) or i, 3, threads=1) == [0, 1, 2]
    assert set(idents) == {threading.get_ident()}


def test_growing_cores_add_a_worker_for_the_pieces_left() -> None:
    cores = Cores(1)
    names: list[str] = []
    second_started = threading.Event()

    def work(index: int) -> int:
        names.append(threading.current_thread().name)
        if index == 0:
            cores.grow_to(2)  # e.g. transcription ended while the first piece ran
        if threading.current_thread().name == "model-work":
            second_started.set()
        elif index == 2:  # the caller holds on until the new worker has a piece
            assert second_started.wait(10)
        return index * 10

    assert map_threads(work, 4, cores) == [0, 10, 20, 30]
    assert names[0] == threading.current_thread().name and "model-work" in names
    cores.grow_to(1)
    assert cores.count == 2  # never shrinks


def test_a_failing_piece_fails_the_call_on_growing_cores() -> None:
    def work(index: int) -> int:
        if index == 1:
            raise RuntimeError("piece 1")
        return index

    with pytest.raises(RuntimeError, match="piece 1"):
        map_threads(work, 3, Cores(2))


@pytest.mark.slow
@pytest.mark.usefixtures("encoder")
def test_diarize_on_growing_cores_equals_one_thread(pyannote_sample: np.ndarray) -> None:
    one = diarize(pyannote_sample, settings=DiarizeSettings(threads=1))
    grown = diarize(pyannote_sample, settings=DiarizeSettings(threads=Cores(2)))
    assert grown.turns == one.turns and grown.overlaps == one.overlaps
    assert grown.voiceprints == one.voiceprints


@pytest.mark.slow
@pytest.mark.usefixtures("encoder")
def test_diarize_on_two_threads_equals_one_thread(conv2: np.ndarray, pyannote_sample: np.ndarray) -> None:
    # over one VAD block, several segmentation batches (4 chunks each) and CAM++ batches (32 windows)
    audio = np.concatenate([conv2, pyannote_sample, conv2])
    assert len(audio) > BLOCK_SECONDS * SAMPLE_RATE
    one = diarize(audio, settings=DiarizeSettings(threads=1))
    two = diarize(audio, settings=DiarizeSettings(threads=2))
    assert len(one.speakers) >= 2
    assert two.turns == one.turns
    assert two.overlaps == one.overlaps
    assert two.voiceprints == one.voiceprints
