"""From who-speaks-per-frame to turns: one main speaker per frame for the words, plus the overlaps.

Where two people talk at once, the words a single-stream transcript has there mostly belong to the
one who holds the floor. So an overlapped stretch goes to the speaker who talks on both sides of it
(the other one only interjected); when the speaker before it stops and the other one goes on, the
floor changes hands in its middle. The second speaker of each overlapped stretch is reported apart
(`overlaps`), for the overlap analytics. Main-speaker runs shorter than `min_run` inside continuous
speech join their longer neighbour, so a word or two of weak evidence does not cut a sentence.
"""

from __future__ import annotations

from itertools import groupby

import numpy as np

from convoscope.pipeline.diarize.reconcile import HOP
from convoscope.pipeline.diarize.segmentation import SAMPLE_RATE
from convoscope.pipeline.diarize.turns import Piece, absorb_short

FRAME = HOP / SAMPLE_RATE
# Frame j of the recording is centred OFFSET + j * FRAME + FRAME / 2 seconds in (the centre of
# the network's 61.9 ms receptive field); pieces start half a frame before that centre.
OFFSET = (0.0619375 - FRAME) / 2


def _runs(values: np.ndarray) -> list[tuple[int, int, int]]:
    """(value, first, end) of each run of equal values."""
    out, position = [], 0
    for value, group in groupby(values.tolist()):
        length = len(list(group))
        out.append((int(value), position, position + length))
        position += length
    return out


def main_speaker(active: np.ndarray) -> np.ndarray:
    """Per frame the speaker holding the floor (-1: silence), from the (frames, voices) 0/1 matrix."""
    talking = active.sum(axis=1)
    main = np.where(talking > 0, np.argmax(active, axis=1), -1)
    both = (talking >= 2).astype(np.int8)
    for value, first, end in _runs(both):
        if not value:
            continue
        pair = np.flatnonzero(active[first:end].any(axis=0))[:2]
        before = int(main[first - 1]) if first > 0 and talking[first - 1] == 1 else -1
        after = int(main[end]) if end < len(main) and talking[end] == 1 else -1
        if before in pair and after in pair and before != after:
            middle = (first + end) // 2
            main[first:middle], main[middle:end] = before, after
        elif before in pair or after in pair:
            main[first:end] = before if before in pair else after
        else:
            main[first:end] = pair[0]
    return main


def main_pieces(active: np.ndarray, min_run: float, min_speech: float) -> list[Piece]:
    """Main-speaker pieces (seconds), short runs inside continuous speech absorbed by their neighbours;
    stretches of speech shorter than `min_speech` on their own are dropped (breaths, clicks, the tail
    of a word cut off at the start of the audio)."""
    main = main_speaker(active)
    out: list[Piece] = []
    for speaking, first, end in _runs((main >= 0).astype(np.int8)):
        if not speaking or (end - first) * FRAME < min_speech:
            continue
        runs = [[label, e - f] for label, f, e in _runs(main[first:end])]
        position = first
        for label, length in absorb_short(runs, max(1, round(min_run / FRAME))):
            out.append(Piece(OFFSET + position * FRAME, OFFSET + (position + length) * FRAME, label))
            position += length
    return out


def overlap_pieces(active: np.ndarray, min_length: float) -> list[Piece]:
    """The second speaker's pieces where two talk at once, at least `min_length` seconds long."""
    main = main_speaker(active)
    others = active * (np.arange(active.shape[1]) != main[:, None])
    second = np.where(active.sum(axis=1) >= 2, np.argmax(others, axis=1), -1)
    return [
        Piece(OFFSET + first * FRAME, OFFSET + end * FRAME, label)
        for label, first, end in _runs(second)
        if label >= 0 and (end - first) * FRAME >= min_length
    ]
