"""Diarization's work on several threads: batches side by side on one-thread workers, same results."""

from __future__ import annotations

import threading

import numpy as np
import pytest
import torch

from convoscope.pipeline.diarize import DiarizeSettings, diarize
from convoscope.pipeline.diarize.regions import BLOCK_SECONDS, SAMPLE_RATE
from convoscope.pipeline.workers import map_threads, map_torch


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
