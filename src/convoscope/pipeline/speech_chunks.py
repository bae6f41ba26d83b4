"""Where the speech is, and how it is cut into the decoder's 30 s chunks.

Silero VAD (inside faster-whisper, with the settings of its batched pipeline) finds the speech
regions of a recording once. The regions are laid end to end (`SpeechMap`): that joined speech is
what the decoder sees, cut at region boundaries into chunks of at most 30 s, one Whisper window
each. `SpeechMap` maps the decoder's times back onto the recording, the way faster-whisper's own
`restore_speech_timestamps` does; `uncovered_regions` finds the speech a decoder left without
words, so that it can be decoded again.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from itertools import accumulate, pairwise

import numpy as np

from convoscope.pipeline.decode import SAMPLE_RATE

Region = tuple[int, int]  # (start, end) sample indexes, end excluded

# One Whisper window. The encoder always sees 30 s (padded), so a chunk holds as much as fits.
CHUNK_SECONDS = 30.0

# VAD works on pieces of about this length, cut at quiet points: faster-whisper's
# `get_speech_timestamps` copies its input twice and Silero's activations grow with it (the peaks
# are in `bench/README.md`), and pieces can be searched at once.
VAD_PIECE_SECONDS = 60.0


def speech_regions(audio: np.ndarray, threads: int = 1) -> list[Region]:
    """Speech regions of 16 kHz audio, with the settings of faster-whisper's batched pipeline.

    Audio longer than `VAD_PIECE_SECONDS` is cut at quiet points into pieces about that long,
    searched by `threads` threads at once (Silero runs on one thread and drops the GIL). A region
    never spans a cut.
    """
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    options = VadOptions(max_speech_duration_s=CHUNK_SECONDS, min_silence_duration_ms=160)

    def search(piece: Region) -> list[Region]:
        found = get_speech_timestamps(audio[piece[0] : piece[1]], options)
        return [(piece[0] + int(ts["start"]), piece[0] + int(ts["end"])) for ts in found]

    count = max(1, round(audio.shape[0] / (VAD_PIECE_SECONDS * SAMPLE_RATE)))
    cuts = [quiet_point(audio, audio.shape[0] * k // count) for k in range(1, count)]
    pieces = list(pairwise([0, *cuts, int(audio.shape[0])]))
    if threads < 2 or len(pieces) < 2:
        return [region for piece in pieces for region in search(piece)]
    with ThreadPoolExecutor(min(threads, len(pieces)), thread_name_prefix="vad") as pool:
        return [region for found in pool.map(search, pieces) for region in found]


def quiet_point(audio: np.ndarray, near: int, search_seconds: float = 10.0) -> int:
    """The middle of the quietest 100 ms within `search_seconds` of sample `near`."""
    frame = SAMPLE_RATE // 10
    lo = max(0, near - int(search_seconds * SAMPLE_RATE))
    frames = (min(audio.shape[0], near + int(search_seconds * SAMPLE_RATE)) - lo) // frame
    if frames < 1:
        return near
    energy = np.abs(audio[lo : lo + frames * frame]).reshape(frames, frame).sum(axis=1)
    return lo + int(np.argmin(energy)) * frame + frame // 2


@dataclass(frozen=True)
class SpeechMap:
    """Speech regions of a recording laid end to end ("joined" samples), and the way back."""

    regions: tuple[Region, ...]  # on the recording, ascending, not overlapping
    starts: tuple[int, ...]  # where each region starts in the joined speech

    @classmethod
    def of(cls, regions: list[Region]) -> SpeechMap:
        lengths = [end - start for start, end in regions]
        return cls(tuple(regions), tuple(accumulate(lengths[:-1], initial=0)) if regions else ())

    @property
    def samples(self) -> int:
        """Samples of speech in all."""
        return self.starts[-1] + self.regions[-1][1] - self.regions[-1][0] if self.regions else 0

    def join(self, audio: np.ndarray) -> np.ndarray:
        """The speech of `audio` without the silences between regions."""
        if not self.regions:
            return np.zeros(0, dtype=np.float32)
        return np.concatenate([audio[start:end] for start, end in self.regions])

    def _index(self, joined_sample: float) -> int:
        return max(0, min(bisect_right(self.starts, joined_sample) - 1, len(self.regions) - 1))

    def to_recording(self, start: float, end: float) -> tuple[float, float]:
        """A word's (start, end) seconds on the joined speech, in seconds on the recording.

        The region under the word's middle moves both ends, so a word never stretches across the
        silence that was taken out.
        """
        i = self._index((start + end) / 2 * SAMPLE_RATE)
        shift = (self.regions[i][0] - self.starts[i]) / SAMPLE_RATE
        return start + shift, end + shift

    def regions_in(self, lo: int, hi: int) -> list[Region]:
        """The recording regions whose joined samples lie in [lo, hi) (chunk bounds are region bounds)."""
        return [r for r, s in zip(self.regions, self.starts, strict=True) if lo <= s < hi]

    def joined_span(self, run: Region) -> Region:
        """The joined samples of a run of whole regions given by recording samples (start, end)."""
        inside = [i for i, (start, end) in enumerate(self.regions) if run[0] <= start and end <= run[1]]
        if not inside:
            raise ValueError(f"no whole speech region in samples {run}")
        last = self.regions[inside[-1]]
        return self.starts[inside[0]], self.starts[inside[-1]] + last[1] - last[0]


def chunk_bounds(speech: SpeechMap, streams: int = 1, max_seconds: float = CHUNK_SECONDS) -> list[Region]:
    """(start, end) joined samples of the chunks: consecutive regions, at most `max_seconds` each.

    The chunks hold about the same speech. Their number is the fewest that fit, rounded up to a
    multiple of `streams` (the decoders working at once), so that every decoder gets the same
    share: 9 chunks' worth on 2 streams becomes 10 smaller chunks, 5 each, instead of 5 and 4.
    """
    lengths = [end - start for start, end in speech.regions]
    total = sum(lengths)
    if not total:
        return []
    limit = int(max_seconds * SAMPLE_RATE)
    count = math.ceil(total / limit)
    if count > 1 and streams > 1:
        count = streams * math.ceil(count / streams)
    target = total / count
    bounds: list[Region] = []
    start = held = position = 0  # position: joined samples before the region at hand
    for length in lengths:
        # Cut before a region that would overfill the chunk, or whose middle passes the next target.
        passes_target = position + length / 2 > target * (len(bounds) + 1) and len(bounds) < count - 1
        if held and (held + length > limit or passes_target):
            bounds.append((start, position))
            start, held = position, 0
        held += length
        position += length
    bounds.append((start, position))
    return bounds


def uncovered_regions(
    regions: list[Region],
    word_spans: list[tuple[float, float]],
    *,
    min_seconds: float = 1.0,
    min_covered: float = 0.2,
    join_gap: float = 0.5,
    max_seconds: float = CHUNK_SECONDS,
) -> list[Region]:
    """Runs of speech regions the words leave (nearly) empty, neighbours joined: what a decoder dropped.

    Batched decoding without timestamps sometimes ends a 30 s window early and loses the rest of
    it (seen on the crosstalk of `pyannote_sample.wav`: 10-13 s of speech, no words). `word_spans`
    are (start, end) seconds on the recording, like `regions` (samples). A run is (start of its
    first region, end of its last) and stays within one window (`max_seconds`).
    """
    missed: list[Region] = []
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
