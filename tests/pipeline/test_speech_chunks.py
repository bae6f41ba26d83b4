"""Speech regions laid end to end, cut into 30 s chunks, and the way back to the recording."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from convoscope.pipeline import decode
from convoscope.pipeline.speech_chunks import (
    SpeechMap,
    chunk_bounds,
    speech_regions,
    uncovered_regions,
)
from tests.fixtures.paths import SHARED_DATA as DATA

SR = decode.SAMPLE_RATE


def seconds(*pairs: tuple[float, float]) -> list[tuple[int, int]]:
    return [(int(a * SR), int(b * SR)) for a, b in pairs]


def test_the_map_lays_regions_end_to_end_and_finds_the_way_back() -> None:
    speech = SpeechMap.of(seconds((1, 3), (5, 6), (10, 14)))
    assert speech.starts == (0, 2 * SR, 3 * SR) and speech.samples == 7 * SR
    audio = np.arange(15 * SR, dtype=np.float32)
    joined = speech.join(audio)
    assert joined.shape == (7 * SR,)
    assert joined[0] == SR and joined[2 * SR] == 5 * SR and joined[-1] == 14 * SR - 1
    assert speech.to_recording(0.5, 1.5) == (1.5, 2.5)  # first region: 1 s of silence before it
    assert speech.to_recording(3.5, 4.0) == (10.5, 11.0)  # third region: 7 s of silence before it
    # A word across a removed silence moves with the region under its middle, whole.
    assert speech.to_recording(1.7, 2.1) == pytest.approx((2.7, 3.1))
    assert speech.to_recording(1.9, 2.3) == pytest.approx((4.9, 5.3))
    assert speech.regions_in(0, 3 * SR) == seconds((1, 3), (5, 6))
    assert speech.joined_span(seconds((5, 14))[0]) == (2 * SR, 7 * SR)
    with pytest.raises(ValueError, match="no whole speech region"):
        speech.joined_span(seconds((6.5, 9))[0])


def test_no_speech_gives_no_chunks() -> None:
    empty = SpeechMap.of([])
    assert empty.samples == 0 and empty.join(np.ones(100, np.float32)).shape == (0,)
    assert chunk_bounds(empty, 2) == []


def test_chunks_fill_windows_with_equal_speech_cut_between_regions() -> None:
    # 20 regions of 4 s (80 s of speech): the fewest 30 s chunks is 3, rounded up to 4 for 2 streams.
    speech = SpeechMap.of([(i * 5 * SR, (i * 5 + 4) * SR) for i in range(20)])
    chunks = chunk_bounds(speech, streams=2)
    assert len(chunks) == 4
    assert chunks[0][0] == 0 and chunks[-1][1] == speech.samples
    assert all(a[1] == b[0] for a, b in itertools.pairwise(chunks))  # contiguous
    assert all(lo in speech.starts for lo, _hi in chunks)  # at region bounds
    assert {(hi - lo) // SR for lo, hi in chunks} == {20}
    assert len(chunk_bounds(speech, streams=1)) == 3
    assert all(hi - lo <= 30 * SR for lo, hi in chunk_bounds(speech, streams=1))


def test_a_short_recording_is_one_chunk_and_long_regions_never_overfill_one() -> None:
    assert chunk_bounds(SpeechMap.of(seconds((0, 10), (11, 20))), streams=4) == [(0, 19 * SR)]
    long = SpeechMap.of(seconds((0, 29), (30, 59), (60, 89)))
    assert [(hi - lo) / SR for lo, hi in chunk_bounds(long, streams=2)] == [29, 29, 29]


def test_vad_regions_of_real_speech_lie_inside_the_audio() -> None:
    gap = np.zeros(2 * SR, dtype=np.float32)
    jfk = decode.decode(DATA / "jfk.flac")
    audio = np.concatenate([gap, jfk, gap, jfk])
    regions = speech_regions(audio)
    assert regions and all(0 <= a < b <= audio.shape[0] for a, b in regions)
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(regions))
    speech = sum(b - a for a, b in regions) / SR
    assert 16.0 < speech < 22.5  # two times about 10 s of speech, the 2 s gaps left out
    assert regions[0][0] > 1.5 * SR  # the leading 2 s of silence is left out (VAD pads speech 0.4 s)


def test_uncovered_regions_are_speech_without_words() -> None:
    regions = seconds((0, 4), (5, 9), (9.2, 12), (13, 13.5))
    words = [(0.5, 1.0), (1.2, 3.8)]  # only the first region has words
    # The next two regions are empty and 0.2 s apart: joined. The last is too short to matter.
    assert uncovered_regions(regions, words) == seconds((5, 12))
    assert uncovered_regions(regions, [(0.5, 3.8), (5.0, 12.0)]) == []
    assert uncovered_regions(regions, [(0.5, 3.8), (5.0, 5.3), (9.3, 11.9)]) == seconds((5, 9))


@pytest.mark.slow
def test_vad_on_two_threads_finds_the_same_speech_in_long_audio() -> None:
    names = ("jfk.flac", "conv2_harvard.wav", "osr_us_000_0034_8k.wav", "pyannote_sample.wav")
    gap = np.zeros(SR // 2, dtype=np.float32)
    audio = np.concatenate([part for name in names * 2 for part in (decode.decode(DATA / name), gap)])
    assert audio.shape[0] > 2 * 60 * SR  # long enough for two pieces
    one, two = speech_regions(audio), speech_regions(audio, threads=2)
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(two))  # ordered, not overlapping
    assert all(0 <= a < b <= audio.shape[0] and b - a <= 30 * SR for a, b in two)
    total = [sum(b - a for a, b in regions) for regions in (one, two)]
    assert abs(total[0] - total[1]) <= 0.02 * total[0] and abs(len(one) - len(two)) <= 2
    short = decode.decode(DATA / "jfk.flac")
    assert speech_regions(short, threads=2) == speech_regions(short)  # too short to cut
