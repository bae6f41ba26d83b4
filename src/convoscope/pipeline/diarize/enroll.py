"""A voiceprint from a sample recording, and naming diarized speakers from a library of voices."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from convoscope.pipeline.diarize.engine import diarize
from convoscope.pipeline.diarize.voiceprints import match_voiceprints

MODEL_NAME = "campplus"  # the speaker model whose voiceprints `diarize` gives
MIN_SAMPLE_SECONDS = 2.0  # less speech than this gives too noisy a voiceprint to name anyone by
# Naming a speaker wrongly is worse than leaving "Speaker N": a library voice names a speaker only
# above this similarity (higher than the 0.65 that links one voice within a recording), and only
# when no other library voice comes within `LIBRARY_MARGIN` of it.
LIBRARY_THRESHOLD = 0.70
LIBRARY_MARGIN = 0.10


class SampleError(ValueError):
    """A sample holds too little speech to enroll."""


def sample_voiceprint(audio: np.ndarray) -> tuple[tuple[float, ...], float]:
    """(voiceprint, seconds of speech) of the main voice of a 16 kHz mono sample.

    A sample is meant to hold one voice; when diarization finds several, the one that speaks
    longest is taken. Raises `SampleError` below `MIN_SAMPLE_SECONDS` of that voice's speech.
    """
    result = diarize(audio)
    seconds: dict[str, float] = {}
    for turn in result.turns:
        seconds[turn.speaker] = seconds.get(turn.speaker, 0.0) + turn.end - turn.start
    if not seconds:
        raise SampleError("The sample holds no speech.")
    main = max(seconds, key=lambda label: seconds[label])
    if seconds[main] < MIN_SAMPLE_SECONDS:
        raise SampleError(
            f"The sample holds {seconds[main]:.1f} s of speech; "
            f"at least {MIN_SAMPLE_SECONDS:.0f} s is needed."
        )
    return result.voiceprints[main], round(seconds[main], 3)


def name_speakers(
    speakers: Mapping[str, Sequence[float]],
    library: Mapping[str, Sequence[float]],
    threshold: float = LIBRARY_THRESHOLD,
    margin: float = LIBRARY_MARGIN,
) -> dict[str, str]:
    """Speaker label -> library voice id for the speakers a library voice names with confidence.

    One-to-one (two speakers never get one name), above `threshold`, and only where the runner-up
    library voice is at least `margin` less similar to that speaker.
    """
    matched = match_voiceprints(speakers, library, threshold)
    if len(library) < 2:
        return matched
    out: dict[str, str] = {}
    for label, voice in matched.items():
        print_ = np.asarray(speakers[label], dtype=np.float64)
        sims = sorted(
            (float(np.dot(print_, np.asarray(v))) for v in library.values() if len(v) == len(print_)),
            reverse=True,
        )
        if len(sims) < 2 or sims[0] - sims[1] >= margin:
            out[label] = voice
    return out
