"""From labelled windows to speaker turns: vote per frame, smooth, merge.

Inside each speech region, every 50 ms frame takes the speaker with the most votes from the windows
covering it; a window's vote is weighted by a Hann taper, so the window whose centre is nearest a
frame counts most and a speaker change lands between the centres of the windows that disagree, at the
point where their weighted votes cross. Speaker runs shorter than `min_run` seconds inside a region
are given to the longer neighbouring run. Adjacent pieces of the same speaker are merged when the
pause between them is at most `merge_gap`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import groupby

import numpy as np

from convoscope.pipeline.diarize.regions import SAMPLE_RATE, Region, Window

FRAME = 0.05  # seconds


@dataclass(frozen=True)
class Piece:
    """A span of speech (seconds) with an integer speaker label."""

    start: float
    end: float
    label: int


def _region_frames(region: Region, windows: Sequence[Window], votes: np.ndarray) -> np.ndarray:
    """Label per frame of one region from the (n_windows, n_speakers) votes of its windows."""
    step = int(FRAME * SAMPLE_RATE)
    n_frames = max(1, -(-(region.end - region.start) // step))
    tally = np.zeros((n_frames, votes.shape[1]))
    for window, vote in zip(windows, votes, strict=True):
        first = (window.start - region.start) // step
        count = max(1, (window.end - window.start) // step)
        taper = np.hanning(count + 2)[1:-1]
        lo, hi = max(0, first), min(n_frames, first + count)
        if lo < hi:
            tally[lo:hi] += taper[lo - first : hi - first, None] * vote[None, :]
    return np.asarray(np.argmax(tally, axis=1))


def absorb_short(runs: list[list[int]], min_frames: int) -> list[list[int]]:
    """Runs [label, length] shorter than `min_frames` join their longer neighbour, shortest first."""
    while len(runs) > 1:
        index = min(range(len(runs)), key=lambda i: runs[i][1])
        if runs[index][1] >= min_frames:
            break
        if index == 0 or (index + 1 < len(runs) and runs[index + 1][1] > runs[index - 1][1]):
            target = runs[index + 1]
        else:
            target = runs[index - 1]
        target[1] += runs.pop(index)[1]
        merged: list[list[int]] = []
        for run in runs:
            if merged and merged[-1][0] == run[0]:
                merged[-1][1] += run[1]
            else:
                merged.append(run)
        runs = merged
    return runs


def pieces(
    regions: Sequence[Region], windows: Sequence[Window], votes: np.ndarray, min_run: float
) -> list[Piece]:
    """Speaker pieces inside each region from the windows' votes, shape (n_windows, n_speakers)."""
    out: list[Piece] = []
    first = 0
    for index, region in enumerate(regions):
        last = first
        while last < len(windows) and windows[last].region == index:
            last += 1
        if last == first:
            continue
        frames = _region_frames(region, windows[first:last], votes[first:last])
        runs = [[int(label), len(list(group))] for label, group in groupby(frames.tolist())]
        position = region.start / SAMPLE_RATE
        for label, length in absorb_short(runs, max(1, round(min_run / FRAME))):
            end = min(position + length * FRAME, region.end / SAMPLE_RATE)
            out.append(Piece(position, end, label))
            position = end
        first = last
    return out


def merge(items: Sequence[Piece], merge_gap: float) -> list[Piece]:
    """Join consecutive pieces of one label separated by at most `merge_gap` seconds."""
    out: list[Piece] = []
    for piece in items:
        if out and out[-1].label == piece.label and piece.start - out[-1].end <= merge_gap:
            out[-1] = Piece(out[-1].start, max(out[-1].end, piece.end), piece.label)
        else:
            out.append(piece)
    return out
