"""Diarization across processing windows: one consistent set of speakers for a whole recording.

`process_media` works through long media in windows (bounded memory). Each window is diarized on its
own; its speakers are then matched by voice to the speakers of earlier windows, so labels stay
stable across the recording and memory stays flat however long it is. The windows' overlapped
speech is kept too, on the recording's timeline (windows follow each other without gaps).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import NamedTuple

import numpy as np

from convoscope.pipeline.diarize import (
    DEFAULT_MATCH_THRESHOLD,
    DiarizationResult,
    DiarizeSettings,
    SpeakerTurn,
    assign_speakers,
    diarize,
    match_voiceprints,
)
from convoscope.pipeline.diarize.regions import SAMPLE_RATE
from convoscope.pipeline.idle_cores import threads_for_idle_cores
from convoscope.pipeline.types import Word
from convoscope.pipeline.workers import Cores, Threads


class Overlap(NamedTuple):
    """`other` talks while `speaker` holds the floor; seconds from the start of the recording."""

    start: float
    end: float
    speaker: str
    other: str


@dataclass
class _Voice:
    total: np.ndarray  # sum of window voiceprints, weighted by speech seconds
    seconds: float

    def voiceprint(self) -> tuple[float, ...]:
        norm = max(float(np.linalg.norm(self.total)), 1e-12)
        return tuple(float(v) for v in self.total / norm)


@dataclass
class SpeakerTracker:
    """A stateful `assign_speakers` callback for `process_media` (one per job)."""

    num_speakers: int | None = None
    max_speakers: int = 10
    single_window: bool = True  # the whole media fits in one window: `num_speakers` can be exact
    threshold: float = DEFAULT_MATCH_THRESHOLD
    settings: DiarizeSettings | None = None  # None: the defaults
    # torch threads of each window's diarization; 0: one per core idle as it starts (x0.72 on an
    # idle 2-core machine, the same results)
    threads: int = 1
    # find each window's speakers while its last speech is decoded, on the core the decoder left
    # idle (`pipeline/speakers_ahead.py`); False: after transcription
    ahead: bool = True
    voices: dict[str, _Voice] = field(default_factory=dict)
    overlaps: list[Overlap] = field(default_factory=list)
    elapsed: float = 0.0  # seconds of the recording diarized so far: where the next window starts

    def __call__(self, audio: np.ndarray, words: list[Word]) -> list[Word]:
        return self.label(self.find(audio), audio, words)

    def find(self, audio: np.ndarray, cores: Cores | None = None) -> DiarizationResult:
        """Who speaks when in one window (audio only: `process_media` runs it beside the decoder's
        last batches, `speakers_ahead`). `cores`: the workers it may use, where `threads` is 0 (None:
        one per core idle now)."""
        settings = self._window_settings(cores)
        if self.single_window or self.num_speakers is None:
            return diarize(audio, self.num_speakers, self.max_speakers, settings)
        # a window of a long recording may hold only some of the speakers
        return diarize(audio, max_speakers=self.num_speakers, settings=settings)

    def label(self, found: object, audio: np.ndarray, words: list[Word]) -> list[Word]:
        """The window's words with the speakers `find` found, linked to earlier windows' voices."""
        if not isinstance(found, DiarizationResult):
            raise TypeError(f"expected a DiarizationResult, got {type(found).__name__}")
        result = found
        start, self.elapsed = self.elapsed, self.elapsed + len(audio) / SAMPLE_RATE
        if not result.turns:
            return words
        seconds = _speech_seconds(result.turns)
        mapping = self._link(result.voiceprints, seconds)
        turns = [replace(turn, speaker=mapping[turn.speaker]) for turn in result.turns]
        others = [replace(turn, speaker=mapping[turn.speaker]) for turn in result.overlaps]
        self.overlaps.extend(_paired(turns, others, start))
        return assign_speakers(words, turns)

    def _window_settings(self, cores: Cores | None) -> DiarizeSettings | None:
        if self.threads == 1:
            return self.settings
        threads: Threads = self.threads or cores or threads_for_idle_cores(os.cpu_count() or 1)
        return replace(self.settings or DiarizeSettings(), threads=threads)

    def voiceprints(self) -> dict[str, tuple[float, ...]]:
        return {label: voice.voiceprint() for label, voice in self.voices.items()}

    def _link(self, prints: dict[str, tuple[float, ...]], seconds: dict[str, float]) -> dict[str, str]:
        """Window labels -> tracker labels: the same voice keeps its label, a new voice gets a new one."""
        matched = match_voiceprints(prints, self.voiceprints(), self.threshold)
        mapping: dict[str, str] = {}
        for label, voiceprint in prints.items():
            target = matched.get(label)
            if target is None:
                target = f"S{len(self.voices)}"
                self.voices[target] = _Voice(np.zeros(len(voiceprint)), 0.0)
            weight = max(seconds.get(label, 0.0), 1e-3)
            self.voices[target].total = self.voices[target].total + np.asarray(voiceprint) * weight
            self.voices[target].seconds += weight
            mapping[label] = target
        return mapping


def _paired(turns: Sequence[SpeakerTurn], others: Sequence[SpeakerTurn], offset: float) -> list[Overlap]:
    """Each overlap cut at the turns it spans, so every piece names who held the floor."""
    pieces = []
    for other in others:
        for turn in turns:
            start, end = max(turn.start, other.start), min(turn.end, other.end)
            if end > start and turn.speaker != other.speaker:
                pieces.append(Overlap(offset + start, offset + end, turn.speaker, other.speaker))
    return pieces


def _speech_seconds(turns: Sequence[SpeakerTurn]) -> dict[str, float]:
    totals: dict[str, float] = {}
    for turn in turns:
        totals[turn.speaker] = totals.get(turn.speaker, 0.0) + turn.end - turn.start
    return totals
