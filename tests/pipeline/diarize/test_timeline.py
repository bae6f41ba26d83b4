"""Frames to turns: who holds the floor where two talk at once, short runs, overlaps reported."""

from __future__ import annotations

import numpy as np

from convoscope.pipeline.diarize.timeline import FRAME, OFFSET, main_pieces, main_speaker, overlap_pieces


def _frames(*spans: tuple[int, int, int], n: int = 300, voices: int = 3) -> np.ndarray:
    active = np.zeros((n, voices), dtype=np.uint8)
    for voice, first, end in spans:
        active[first:end, voice] = 1
    return active


def test_an_interjection_leaves_the_floor_to_the_speaker_around_it() -> None:
    active = _frames((0, 0, 200), (1, 80, 110))  # 1 says "yeah" while 0 talks on
    main = main_speaker(active)
    assert set(main[:200].tolist()) == {0}
    (second,) = overlap_pieces(active, 0.1)
    assert second.label == 1
    assert (second.start, second.end) == (OFFSET + 80 * FRAME, OFFSET + 110 * FRAME)


def test_a_hand_over_splits_the_overlap_in_its_middle() -> None:
    active = _frames((0, 0, 120), (1, 100, 250))
    main = main_speaker(active)
    assert main[:110].tolist() == [0] * 110 and main[110:250].tolist() == [1] * 140
    assert main[250:].tolist() == [-1] * 50


def test_short_runs_join_a_neighbour_and_lone_blips_are_dropped() -> None:
    # 0.1 s of voice 2 inside voice 0's speech, and a lone 0.1 s blip after a pause.
    active = _frames((0, 0, 100), (2, 100, 106), (0, 106, 200), (1, 260, 266))
    pieces = main_pieces(active, min_run=0.5, min_speech=0.25)
    assert [p.label for p in pieces] == [0]
    assert (pieces[0].start, pieces[0].end) == (OFFSET, OFFSET + 200 * FRAME)
