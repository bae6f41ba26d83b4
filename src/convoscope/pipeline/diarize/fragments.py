"""Words of a spurious speaker change inside a sentence go back to the sentence's speaker.

Sentences end where the speaker changes (`segment.py`), so a brief wrong change inside one sentence
cuts it: "I'm" | "really got a car." A run of at most `max_words` words, shorter than `max_seconds`,
that sits inside a sentence (no sentence-final punctuation at the side it joins) with no pause longer
than `max_gap` to that side takes the speaker of the words it runs into, when those are more words
(so two fragments never swap speakers; the longer side wins when both qualify). A run that is a sentence
of its own (the words before it end one and it ends with its own punctuation: "Okay.", "Mm-hmm.")
is a real reply and keeps its speaker, as does a run set off by pauses on both sides.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import groupby

from convoscope.pipeline.segment import CLOSERS, SENTENCE_END
from convoscope.pipeline.types import Word


@dataclass(frozen=True)
class FragmentSettings:
    """Which runs count as fragments; set on the bench clips (bench/diarize/run.py attribution)."""

    max_words: int = 2
    max_seconds: float = 0.5
    max_gap: float = 0.3


def _ends_sentence(word: Word) -> bool:
    return word.text.rstrip().rstrip(CLOSERS).endswith(SENTENCE_END)


def _target(
    before: list[Word] | None, run: list[Word], after: list[Word] | None, settings: FragmentSettings
) -> str | None:
    """The speaker a fragment `run` should take, or None to keep its own."""
    if len(run) > settings.max_words or run[-1].end - run[0].start > settings.max_seconds:
        return None
    sides = []
    if (
        before is not None
        and not _ends_sentence(before[-1])
        and run[0].start - before[-1].end <= settings.max_gap
    ):
        sides.append(before)
    if after is not None and not _ends_sentence(run[-1]) and after[0].start - run[-1].end <= settings.max_gap:
        sides.append(after)
    # Only into more words, so two fragments never swap speakers; the longer side wins (the earlier
    # one when they are as long).
    sides = [side for side in sides if len(side) > len(run)]
    return max(sides, key=len)[0].speaker if sides else None


def smooth_fragments(words: Sequence[Word], settings: FragmentSettings = FragmentSettings()) -> list[Word]:
    """`words` (one channel's, in order, speakers set) with fragment runs given their sentence's speaker.

    Words of several channels are smoothed per channel; their order is kept.
    """
    out = list(words)
    channels: dict[int, list[int]] = {}
    for index, word in enumerate(out):
        channels.setdefault(word.channel, []).append(index)
    for positions in channels.values():
        runs = [list(group) for _, group in groupby(positions, key=lambda i: out[i].speaker)]
        texts = [[out[i] for i in run] for run in runs]
        for k, run in enumerate(runs):
            before = texts[k - 1] if k > 0 else None
            after = texts[k + 1] if k + 1 < len(runs) else None
            speaker = _target(before, texts[k], after, settings)
            if speaker is not None:
                for i in run:
                    out[i] = dataclasses.replace(out[i], speaker=speaker)
    return out
