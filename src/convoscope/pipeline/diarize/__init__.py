"""Speaker diarization for mono recordings: who spoke when, and which word is whose.

Public API:

- `diarize(audio, num_speakers=None, max_speakers=10)` -> `DiarizationResult` (turns, overlaps, voiceprints)
- `assign_speakers(words, turns)` -> words with `.speaker` set
- `match_voiceprints(new, known, threshold)` -> new speaker label -> known key (for appends)

Heavy libraries (torch, scipy, scikit-learn, onnxruntime) are imported inside the functions that use
them, so importing this package is cheap.
"""

from convoscope.pipeline.diarize.assign import assign_speakers
from convoscope.pipeline.diarize.cluster import ClusterSettings
from convoscope.pipeline.diarize.embed import EncoderMissingError, get_encoder
from convoscope.pipeline.diarize.engine import DiarizeSettings, diarize
from convoscope.pipeline.diarize.regions import VadSettings
from convoscope.pipeline.diarize.types import DiarizationResult, SpeakerTurn
from convoscope.pipeline.diarize.voiceprints import DEFAULT_MATCH_THRESHOLD, match_voiceprints

__all__ = [
    "DEFAULT_MATCH_THRESHOLD",
    "ClusterSettings",
    "DiarizationResult",
    "DiarizeSettings",
    "EncoderMissingError",
    "SpeakerTurn",
    "VadSettings",
    "assign_speakers",
    "diarize",
    "get_encoder",
    "match_voiceprints",
]
