"""Speaker per word: the turn a word overlaps most, else the nearest turn in time; then a word or two
of a spurious change inside a sentence go back to the sentence's speaker (`fragments.py`)."""

from __future__ import annotations

import bisect
import dataclasses
from collections.abc import Sequence
from typing import TYPE_CHECKING

from convoscope.pipeline.diarize.fragments import FragmentSettings, smooth_fragments
from convoscope.pipeline.types import Word

if TYPE_CHECKING:
    from convoscope.pipeline.diarize.types import SpeakerTurn


def _best_turn(word: Word, turns: Sequence[SpeakerTurn], ends: list[float]) -> SpeakerTurn:
    first = bisect.bisect_left(ends, word.start)  # earlier turns end before the word starts
    best, best_overlap = None, 0.0
    index = first
    while index < len(turns) and turns[index].start < word.end:
        turn = turns[index]
        overlap = min(turn.end, word.end) - max(turn.start, word.start)
        if overlap > best_overlap:
            best, best_overlap = turn, overlap
        index += 1
    if best is not None:
        return best
    # No overlap (or a zero-length word): the nearest turn before or after the word.
    centre = (word.start + word.end) / 2
    nearby = [turns[i] for i in (first - 1, first, index) if 0 <= i < len(turns)]
    return min(nearby, key=lambda t: max(t.start - centre, centre - t.end, 0.0))


def assign_speakers(
    words: Sequence[Word],
    turns: Sequence[SpeakerTurn],
    fragments: FragmentSettings | None = FragmentSettings(),
) -> list[Word]:
    """`words` with `.speaker` set from `turns` (sorted by start, not overlapping, as `diarize` gives).

    With no turns the words come back unchanged. `fragments`: how fragments of a sentence are
    smoothed (None: not at all). Runs in O((words + turns) log turns).
    """
    if not turns:
        return list(words)
    ordered = sorted(turns, key=lambda t: t.start)
    ends = [t.end for t in ordered]
    labelled = [dataclasses.replace(w, speaker=_best_turn(w, ordered, ends).speaker) for w in words]
    return labelled if fragments is None else smooth_fragments(labelled, fragments)
