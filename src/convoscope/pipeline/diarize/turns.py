"""From labelled windows to speaker turns: split each region at window midpoints, smooth, merge.

Each window owns the part of its region nearest its centre, so a region holding windows of two
speakers changes speaker half-way between the two windows' centres. A label that holds for a single
window between two windows of one other speaker, inside one region, is taken as noise and flipped.
Adjacent pieces of the same speaker are merged when the pause between them is at most `merge_gap`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from convoscope.pipeline.diarize.regions import SAMPLE_RATE, Region, Window


@dataclass(frozen=True)
class Piece:
    """A span of speech (seconds) with an integer speaker label."""

    start: float
    end: float
    label: int


def smooth(labels: np.ndarray, windows: Sequence[Window]) -> np.ndarray:
    """Flip single-window label runs sandwiched between windows of one other label, within a region."""
    out = labels.copy()
    for i in range(1, len(out) - 1):
        same_region = windows[i - 1].region == windows[i].region == windows[i + 1].region
        if same_region and out[i - 1] == out[i + 1] != out[i]:
            out[i] = out[i - 1]
    return out


def pieces(regions: Sequence[Region], windows: Sequence[Window], labels: np.ndarray) -> list[Piece]:
    """One piece per window, cut at the midpoints between consecutive window centres of a region."""
    out: list[Piece] = []
    for i, window in enumerate(windows):
        region = regions[window.region]
        start = region.start
        if i > 0 and windows[i - 1].region == window.region:
            start = (windows[i - 1].start + windows[i - 1].end + window.start + window.end) // 4
        end = region.end
        if i + 1 < len(windows) and windows[i + 1].region == window.region:
            end = (window.start + window.end + windows[i + 1].start + windows[i + 1].end) // 4
        out.append(Piece(start / SAMPLE_RATE, end / SAMPLE_RATE, int(labels[i])))
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
