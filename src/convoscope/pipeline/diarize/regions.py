"""Speech regions (Silero VAD, shipped with faster-whisper) and the embedding windows inside them.

The VAD runs over blocks of at most `BLOCK_SECONDS` so its buffers stay small on long recordings:
faster-whisper's `get_speech_timestamps` copies its whole input twice and the ONNX model's
activations grow with it (peak +200 MB for a 10-minute block, +41 MB for 1-minute blocks, at the
same speed). Regions that touch a block boundary are joined again. Blocks are independent, so
several threads search them side by side.

Windows are fixed-length spans inside speech: a region shorter than one window gets one window
centred on it (borrowing context from around it), a longer one gets windows every `hop` seconds
with the last one flush with the region's end.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from convoscope.pipeline.workers import Threads

SAMPLE_RATE = 16_000
BLOCK_SECONDS = 60.0


@dataclass(frozen=True)
class VadSettings:
    """Silero settings tuned for diarization: split at short pauses, pad little."""

    threshold: float = 0.5
    min_speech_ms: int = 250
    min_silence_ms: int = 300
    speech_pad_ms: int = 100


@dataclass(frozen=True)
class Region:
    """A span of speech, in samples."""

    start: int
    end: int


@dataclass(frozen=True)
class Window:
    """One embedding window, in samples, and the region it belongs to."""

    start: int
    end: int
    region: int


def speech_regions(
    audio: np.ndarray, settings: VadSettings = VadSettings(), threads: Threads = 1
) -> list[Region]:
    """Speech regions of 16 kHz mono audio, in time order; empty for silence. With `threads` above 1,
    blocks are searched side by side (`workers.py`; the same regions)."""
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    from convoscope.pipeline.workers import map_threads

    options = VadOptions(
        threshold=settings.threshold,
        min_speech_duration_ms=settings.min_speech_ms,
        min_silence_duration_ms=settings.min_silence_ms,
        speech_pad_ms=settings.speech_pad_ms,
    )
    block = int(BLOCK_SECONDS * SAMPLE_RATE)

    def search(index: int) -> list[dict[str, int]]:
        return get_speech_timestamps(
            audio[index * block : (index + 1) * block], options, sampling_rate=SAMPLE_RATE
        )

    regions: list[Region] = []
    for index, found in enumerate(map_threads(search, -(-len(audio) // block), threads)):
        for ts in found:
            region = Region(index * block + int(ts["start"]), index * block + int(ts["end"]))
            if regions and region.start <= regions[-1].end:
                regions[-1] = Region(regions[-1].start, max(regions[-1].end, region.end))
            else:
                regions.append(region)
    return regions


def windows_in(regions: list[Region], n_samples: int, window: float, hop: float) -> list[Window]:
    """Fixed-length windows (`window` seconds, every `hop` seconds) covering each region."""
    size, step = int(window * SAMPLE_RATE), int(hop * SAMPLE_RATE)
    out: list[Window] = []
    for index, region in enumerate(regions):
        length = region.end - region.start
        if length <= size:
            centre = (region.start + region.end) // 2
            start = min(max(0, centre - size // 2), max(0, n_samples - size))
            out.append(Window(start, start + size, index))
            continue
        starts = list(range(region.start, region.end - size + 1, step))
        if starts[-1] + size < region.end:
            starts.append(region.end - size)
        out.extend(Window(s, s + size, index) for s in starts)
    return out
