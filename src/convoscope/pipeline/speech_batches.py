"""Batches of speech chunks for the decoder: the first pass, speech it dropped, and chunk tails.

A first pass decodes the chunks of a recording (`speech_chunks.chunk_bounds`) in batches of
consecutive chunks. The speech regions a first-pass batch leaves without words are laid end to end
into new chunks and decoded again. A chunk's tail is its last region decoded on its own, as a second
pass would decode it, while the batch that holds the chunk is still being decoded.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np

from convoscope.pipeline.decode import SAMPLE_RATE
from convoscope.pipeline.speech_chunks import Region, SpeechMap, chunk_bounds, uncovered_regions
from convoscope.pipeline.types import Word

# A chunk's last region makes a tail if it is at most this share of the chunk: a tail then costs
# well under its batch (the encoder always sees 30 s, but the beam search follows the words).
TAIL_SHARE = 0.5

BatchKind = Literal["first", "again", "tail"]


@dataclass(frozen=True, eq=False)
class Batch:
    """Chunks decoded together: (start, end) samples of `joined`, the speech that `speech` maps.

    `kind`: a first pass; speech a first pass dropped (`again`); the tail of a first-pass batch,
    decoded by an idle stream (`tail`). Only a first pass has its drops decoded again.
    """

    speech: SpeechMap
    joined: np.ndarray  # speech.join(recording), shared by the batches of one map
    chunks: tuple[Region, ...]
    kind: BatchKind = "first"


def group_into_batches(
    speech: SpeechMap,
    joined: np.ndarray,
    chunks: list[Region],
    streams: int,
    batch_size: int,
    *,
    kind: BatchKind = "first",
) -> list[Batch]:
    """Consecutive chunks in batches of at most `batch_size`, as many batches as a multiple of
    `streams` (where there are chunks enough).

    The batches have equal sizes (within one chunk), so the last ones are not the small ones, and
    every stream gets as many: 20 chunks in batches of 4 on 2 streams are 6 batches (4, 4, 3, 3, 3,
    3), not 5 of 4, which would leave one stream a whole batch to decode alone at the end.
    """
    if not chunks:
        return []
    count = min(len(chunks), streams * math.ceil(len(chunks) / (batch_size * streams)))
    size, extra = divmod(len(chunks), count)
    batches, at = [], 0
    for i in range(count):
        take = size + (1 if i < extra else 0)
        batches.append(Batch(speech, joined, tuple(chunks[at : at + take]), kind))
        at += take
    return batches


def tail_batch(batch: Batch, audio: np.ndarray) -> Batch | None:
    """The last speech region of each chunk of `batch` that has more than one, if at most
    `TAIL_SHARE` of the chunk; None when no chunk has such a region.

    The regions are laid end to end as a second pass lays dropped speech, without the rest of
    their chunks: decoded behind its chunk's other speech, a dropped region was dropped again.
    """
    regions: list[Region] = []
    for lo, hi in batch.chunks:
        inside = batch.speech.regions_in(lo, hi)
        last = inside[-1]
        if len(inside) > 1 and last[1] - last[0] <= TAIL_SHARE * (hi - lo):
            regions.append(last)
    if not regions:
        return None
    speech = SpeechMap.of(regions)
    return Batch(speech, speech.join(audio), tuple(chunk_bounds(speech)), "tail")


def dropped_regions(batch: Batch, words: list[Word], *, min_seconds: float = 1.0) -> list[Region]:
    """The speech regions of a first-pass batch left without words (see `uncovered_regions`)."""
    if batch.kind != "first":
        return []  # decoded twice already: what is still empty stays so
    spans = [(w.start, w.end) for w in words]
    speech = batch.speech
    runs = [
        run
        for lo, hi in batch.chunks
        for run in uncovered_regions(speech.regions_in(lo, hi), spans, min_seconds=min_seconds)
    ]
    return [r for run in runs for r in speech.regions if run[0] <= r[0] and r[1] <= run[1]]


def redecode_batches(regions: list[Region], audio: np.ndarray, batch_size: int) -> list[Batch]:
    """Dropped regions packed into chunks to decode again.

    They are laid end to end like any speech, so several short runs cost one encoder pass, not
    one each.
    """
    if not regions:
        return []
    dropped = SpeechMap.of(regions)
    return group_into_batches(
        dropped, dropped.join(audio), chunk_bounds(dropped), 1, batch_size, kind="again"
    )


def words_within(words: list[Word], regions: list[Region]) -> list[Word]:
    """The words whose middle lies in one of `regions` (recording samples)."""
    spans = [(lo / SAMPLE_RATE, hi / SAMPLE_RATE) for lo, hi in regions]
    return [w for w in words if any(lo <= (w.start + w.end) / 2 <= hi for lo, hi in spans)]
