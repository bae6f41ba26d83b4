"""A voiceprint from a sample recording, and naming diarized speakers from a library of voices."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import NamedTuple

import numpy as np

from convoscope.pipeline.diarize.engine import diarize
from convoscope.pipeline.diarize.voiceprints import unit_rows

MODEL_NAME = "campplus"  # the speaker model whose voiceprints `diarize` gives
MIN_SAMPLE_SECONDS = 2.0  # less speech than this gives too noisy a voiceprint to name anyone by
# Naming a speaker wrongly is worse than leaving "Speaker N": a library voice names a speaker only
# above this similarity (higher than the 0.65 that links one voice within a recording), and only
# when no other library voice comes within `LIBRARY_MARGIN` of it.
LIBRARY_THRESHOLD = 0.70
LIBRARY_MARGIN = 0.10


class SampleError(ValueError):
    """A sample holds too little speech to enroll."""


def _main_voice(audio: np.ndarray) -> tuple[tuple[float, ...], float]:
    """(voiceprint, seconds of speech) of the voice that speaks longest in `audio`."""
    result = diarize(audio)
    seconds: dict[str, float] = {}
    for turn in result.turns:
        seconds[turn.speaker] = seconds.get(turn.speaker, 0.0) + turn.end - turn.start
    if not seconds:
        raise SampleError("The sample holds no speech.")
    main = max(seconds, key=lambda label: seconds[label])
    return result.voiceprints[main], seconds[main]


def telephone_band(audio: np.ndarray) -> np.ndarray:
    """16 kHz audio as a phone line carries it: through 8 kHz and back (nothing above 4 kHz)."""
    from scipy.signal import resample_poly

    return np.asarray(resample_poly(resample_poly(audio, 1, 2), 2, 1), dtype=np.float32)


class Sample(NamedTuple):
    """A sample's voice: its voiceprint, the voiceprint of its telephone-band copy (None when that
    copy holds too little speech) and the seconds of speech it was made from."""

    voiceprint: tuple[float, ...]
    phone_voiceprint: tuple[float, ...] | None
    seconds: float


def sample_voiceprints(audio: np.ndarray) -> Sample:
    """The main voice of a 16 kHz mono sample, as heard in it and as heard on a phone line.

    A sample is meant to hold one voice; when diarization finds several, the one that speaks
    longest is taken. Raises `SampleError` below `MIN_SAMPLE_SECONDS` of that voice's speech.
    Why two: a voice enrolled from wideband audio measured 0.59-0.68 against the same people on an
    8 kHz line, under the library's threshold, and its telephone-band copy 0.74-0.76
    (bench/diarize/voices.py); a speaker is compared with both and the closer counts.
    """
    voiceprint, seconds = _main_voice(audio)
    if seconds < MIN_SAMPLE_SECONDS:
        raise SampleError(
            f"The sample holds {seconds:.1f} s of speech; at least {MIN_SAMPLE_SECONDS:.0f} s is needed."
        )
    try:
        phone: tuple[float, ...] | None = _main_voice(telephone_band(audio))[0]
    except SampleError:
        phone = None
    return Sample(voiceprint, phone, round(seconds, 3))


def _similarities(
    speakers: Mapping[str, Sequence[float]], library: Mapping[str, Sequence[Sequence[float]]]
) -> tuple[list[str], list[str], np.ndarray]:
    """Speaker labels, person keys, and each speaker's cosine to each person's closest voiceprint
    (-1 for a person with no voiceprint of the speakers' size, made by another speaker model)."""
    labels, people = list(speakers), list(library)
    sim = np.full((len(labels), len(people)), -1.0)
    size = len(speakers[labels[0]])
    new = unit_rows([speakers[label] for label in labels])
    for j, person in enumerate(people):
        known = [v for v in library[person] if len(v) == size]
        if known:
            sim[:, j] = (new @ unit_rows(known).T).max(axis=1)
    return labels, people, sim


def name_speakers(
    speakers: Mapping[str, Sequence[float]],
    library: Mapping[str, Sequence[Sequence[float]]],
    threshold: float = LIBRARY_THRESHOLD,
    margin: float = LIBRARY_MARGIN,
) -> dict[str, str]:
    """Speaker label -> library person for the speakers a person of the library names with confidence.

    `library` maps each person to their voiceprints (one per enrollment, and a telephone-band one
    per sample); a speaker's similarity to a person is that of the person's closest voiceprint, so
    enrolling someone twice never makes them compete with themselves. One-to-one (two speakers never
    get one name), above `threshold`, and only where the runner-up person is at least `margin` less
    similar to that speaker.
    """
    if not speakers or not library or len({len(v) for v in speakers.values()}) != 1:
        return {}
    from scipy.optimize import linear_sum_assignment

    labels, people, sim = _similarities(speakers, library)
    rows, cols = linear_sum_assignment(-sim)
    out: dict[str, str] = {}
    for r, c in zip(rows, cols, strict=True):
        runner_up = max((float(v) for j, v in enumerate(sim[r]) if j != c), default=-1.0)
        if sim[r, c] >= threshold and sim[r, c] - runner_up >= margin:
            out[labels[r]] = people[c]
    return out
