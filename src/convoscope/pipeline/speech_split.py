"""Where the speech is: cuts for parallel decoding, and the speech a decoder left without words.

On a CPU, two single-threaded decoders working on two halves of a recording finish sooner than one
decoder using both cores on the whole (small matrix products scale badly across threads; measured in
`bench/perf/tune.py`). The cut must fall where nobody speaks, so each part is a valid recording of
its own: the cuts are placed in the middle of gaps between the speech regions Silero VAD finds, the
same VAD faster-whisper's batched pipeline uses. The same regions tell which speech got no words
(`uncovered_regions`), so it can be decoded again.
"""

from __future__ import annotations

from itertools import accumulate, pairwise

import numpy as np

from convoscope.pipeline.media import SAMPLE_RATE

# A part with less speech than this is not worth a decoder of its own: each part costs one more
# padded 30 s encoder pass. Audio with less speech than two parts' worth goes to the model loaded as
# one stream on every core instead (`ModelPool.one_stream`). On 2 cores (`tune.py --short`): 30 s
# of dense speech took 2.50 s on one 2-thread stream against 3.10 s as two single-threaded parts;
# 45 s took 3.85 s against 3.69 s. Parts of 5 s also lost words to the missing context.
MIN_SPEECH_PER_PART = 20.0


def speech_regions(audio: np.ndarray) -> list[tuple[int, int]]:
    """(start, end) sample indexes of speech, with the settings of faster-whisper's batched pipeline."""
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    options = VadOptions(max_speech_duration_s=30, min_silence_duration_ms=160)
    return [(int(s["start"]), int(s["end"])) for s in get_speech_timestamps(audio, options)]


def balanced_cuts(regions: list[tuple[int, int]], parts: int) -> list[int]:
    """Sample indexes (ascending, at most `parts - 1`) that cut `regions` into groups of similar speech.

    A cut lies halfway between the end of one region and the start of the next, so no region is split.
    """
    if len(regions) < 2:
        return []
    spoken = list(accumulate(end - start for start, end in regions))  # speech up to the end of region i
    chosen: list[int] = []  # cut after region i
    for k in range(1, parts):
        target = spoken[-1] * k / parts
        after = [i for i in range(len(regions) - 1) if not chosen or i > chosen[-1]]
        if not after:
            break
        chosen.append(min(after, key=lambda i: abs(spoken[i] - target)))
    return [(regions[i][1] + regions[i + 1][0]) // 2 for i in chosen]


def split_for_streams(
    audio: np.ndarray, streams: int, regions: list[tuple[int, int]] | None = None
) -> list[tuple[int, int]]:
    """(start, end) sample ranges covering `audio`, one per decoder, each with enough speech.

    One range (the whole audio) when `streams` is 1 or there is too little speech to share.
    `regions` are `speech_regions(audio)` when the caller has them already.
    """
    whole = [(0, int(audio.shape[0]))]
    if streams < 2:
        return whole
    regions = speech_regions(audio) if regions is None else regions
    speech = sum(end - start for start, end in regions) / SAMPLE_RATE
    parts = min(streams, int(speech // MIN_SPEECH_PER_PART))
    cuts = balanced_cuts(regions, parts)
    if not cuts:
        return whole
    bounds = [0, *cuts, int(audio.shape[0])]
    return list(pairwise(bounds))


def uncovered_regions(
    regions: list[tuple[int, int]],
    word_spans: list[tuple[float, float]],
    *,
    min_seconds: float = 1.0,
    min_covered: float = 0.2,
    join_gap: float = 0.5,
    max_seconds: float = 30.0,
) -> list[tuple[int, int]]:
    """Speech regions the words leave (nearly) empty, neighbours joined: what a decoder dropped.

    Batched decoding without timestamps sometimes ends a 30 s window early and loses the rest of
    it (seen on the crosstalk of `pyannote_sample.wav`: 10-13 s of speech, no words). `word_spans`
    are (start, end) seconds on the same timeline as `regions` (samples). A joined region stays
    within one Whisper window (`max_seconds`).
    """
    missed: list[tuple[int, int]] = []
    for start, end in regions:
        lo, hi = start / SAMPLE_RATE, end / SAMPLE_RATE
        if hi - lo < min_seconds:
            continue
        covered = sum(max(0.0, min(e, hi) - max(s, lo)) for s, e in word_spans if s < hi and e > lo)
        if covered / (hi - lo) >= min_covered:
            continue
        joinable = missed and start - missed[-1][1] <= join_gap * SAMPLE_RATE
        if joinable and end - missed[-1][0] <= max_seconds * SAMPLE_RATE:
            missed[-1] = (missed[-1][0], end)
        else:
            missed.append((start, end))
    return missed
