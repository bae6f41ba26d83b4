"""What diarization gives back."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class SpeakerTurn:
    """A span (seconds from the start of the audio) where one speaker talks; labels are S0, S1, ..."""

    start: float
    end: float
    speaker: str


@dataclass(frozen=True)
class DiarizationResult:
    """Turns in time order, and each speaker's voiceprint (L2-normalised mean window embedding).

    `turns` never overlap: each is the speaker holding the floor, the one words go to. `overlaps`
    are the spans where a second speaker talks at the same time as a turn, labelled with that
    second speaker.
    """

    turns: tuple[SpeakerTurn, ...]
    voiceprints: dict[str, tuple[float, ...]] = field(default_factory=dict)
    overlaps: tuple[SpeakerTurn, ...] = ()

    @property
    def speakers(self) -> tuple[str, ...]:
        """Speaker labels in order of first appearance."""
        return tuple(dict.fromkeys(t.speaker for t in self.turns))
