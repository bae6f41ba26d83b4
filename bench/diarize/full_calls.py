"""Diarization of whole real phone calls (4 minutes each), not only their excerpts.

    .venv/bin/python bench/diarize/full_calls.py --sources DIR [--calls 40 49] [--keep DIR]

The excerpts in tests/data/calls are at most 60 s; a user sends the whole call. This builds each
whole call the way the excerpts were built (tests/data/calls/README.md): the two channels of the
source recording summed to mono at 8 kHz (scaled to a peak of 0.999 where the sum clips), and the
reference turns from each channel's own energy (10 ms frames above -42 dBFS are speech, gaps under
0.3 s bridged, islands under 0.12 s or never louder than -20 dBFS dropped). DIR holds the sources,
`Auto_Repairs_{40,49}_UTC_{agent,caller}.wav` from aws-samples/amazon-transcribe-live-call-analytics
@ b375717 (`lca-chimevc-stack/asterisk-test-scripts/recordings/`, Apache-2.0); they are not in this
repository. Printed per call: length, reference and estimated speaker count (not told), DER
(collar 0.25 s, overlap scored), the share of reference speech in turns under 1 s, word attribution
as `run.py clips` scores it (faster-whisper `base` words, cached; `max` the most any diarization
can reach with them), and the diarization's time and real-time factor on this machine. `--keep DIR`
writes the mono call and its RTTM there.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import wave
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import SAMPLE_RATE, asr_model, der, transcribe_cached
from tests.fixtures.diarization import attribution, attribution_ceiling

FRAME_SECONDS = 0.01
SPEECH_DBFS = -42.0
BRIDGE_SECONDS = 0.3
SHORTEST_ISLAND_SECONDS = 0.12
LOUDEST_AT_LEAST_DBFS = -20.0
PARTIES = ("agent", "caller")


def read_wav(path: Path) -> tuple[np.ndarray, int]:
    with wave.open(str(path)) as f:
        assert f.getsampwidth() == 2 and f.getnchannels() == 1, path
        data = np.frombuffer(f.readframes(f.getnframes()), dtype="<i2")
        return data.astype(np.float32) / 32768.0, f.getframerate()


def write_wav(path: Path, audio: np.ndarray, rate: int) -> None:
    with wave.open(str(path), "wb") as f:
        f.setnchannels(1)
        f.setsampwidth(2)
        f.setframerate(rate)
        f.writeframes((np.clip(audio, -1, 1) * 32767).astype("<i2").tobytes())


def speech_turns(channel: np.ndarray, rate: int) -> list[tuple[float, float]]:
    """(start, end) of one party's speech, from that channel's frame energy (method above)."""
    step = int(rate * FRAME_SECONDS)
    frames = channel[: len(channel) // step * step].reshape(-1, step)
    dbfs = 20 * np.log10(np.sqrt(np.mean(frames**2, axis=1)) + 1e-10)
    islands: list[list[int]] = []  # [first frame, last frame + 1]
    for index in np.flatnonzero(dbfs > SPEECH_DBFS):
        if islands and index - islands[-1][1] < BRIDGE_SECONDS / FRAME_SECONDS:
            islands[-1][1] = int(index) + 1
        else:
            islands.append([int(index), int(index) + 1])
    return [
        (first * FRAME_SECONDS, end * FRAME_SECONDS)
        for first, end in islands
        if (end - first) * FRAME_SECONDS >= SHORTEST_ISLAND_SECONDS
        and dbfs[first:end].max() >= LOUDEST_AT_LEAST_DBFS
    ]


def build_call(sources: Path, call: str) -> tuple[np.ndarray, int, list[tuple[float, float, str]]]:
    """The mono call at its own rate and its reference turns."""
    channels = {}
    rate = 0
    for party in PARTIES:
        channels[party], rate = read_wav(sources / f"Auto_Repairs_{call}_UTC_{party}.wav")
    length = min(len(c) for c in channels.values())
    mono = sum(c[:length] for c in channels.values())
    peak = float(np.abs(mono).max())
    if peak > 1.0:
        mono = mono * (0.999 / peak)
    reference = [
        (start, end, party)
        for party in PARTIES
        for start, end in speech_turns(channels[party][:length], rate)
    ]
    return np.asarray(mono, dtype=np.float32), rate, sorted(reference)


def to_16k(audio: np.ndarray, rate: int) -> np.ndarray:
    from scipy.signal import resample_poly

    return np.asarray(resample_poly(audio, SAMPLE_RATE, rate), dtype=np.float32)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sources", type=Path, required=True)
    parser.add_argument("--calls", nargs="+", default=["40", "49"])
    parser.add_argument("--keep", type=Path)
    args = parser.parse_args()

    from convoscope.pipeline.diarize import diarize

    print(f"cores={os.cpu_count()} load={os.getloadavg()[0]:.1f}")
    from convoscope.pipeline.diarize import assign_speakers
    from convoscope.pipeline.types import Word

    model = asr_model("base", 2)
    row = "{:<16} {:>6} {:>3} {:>5} {:>6} {:>9} {:>6} {:>5} {:>5} {:>7} {:>9}"
    header = (
        "call",
        "secs",
        "ref",
        "count",
        "DER",
        "short_ref",
        "attrib",
        "max",
        "words",
        "diar_s",
        "diar_RTF",
    )
    print(row.format(*header))
    for call in args.calls:
        mono, rate, reference = build_call(args.sources, call)
        if args.keep:
            args.keep.mkdir(parents=True, exist_ok=True)
            write_wav(args.keep / f"lca_repairs{call}_full_8k.wav", mono, rate)
            lines = [
                f"SPEAKER call{call} 1 {s:.2f} {e - s:.2f} <NA> <NA> {p} <NA> <NA>" for s, e, p in reference
            ]
            (args.keep / f"lca_repairs{call}_full_8k.rttm").write_text("\n".join(lines) + "\n")
        audio = to_16k(mono, rate)
        seconds = len(audio) / SAMPLE_RATE
        speech = sum(e - s for s, e, _ in reference)
        short = sum(e - s for s, e, _ in reference if e - s < 1.0)
        started = time.perf_counter()
        result = diarize(audio)
        took = time.perf_counter() - started
        hypothesis = [(t.start, t.end, t.speaker) for t in result.turns]
        raw, _ = transcribe_cached(model, f"lca_repairs{call}_full", audio, "base")
        words = assign_speakers([Word(text, start, end) for text, start, end in raw], result.turns)
        mids = [(w.start + w.end) / 2 for w in words]
        attributed = attribution(
            [(mid, w.speaker or "") for mid, w in zip(mids, words, strict=True)], reference
        )
        print(
            row.format(
                f"lca_repairs{call}",
                f"{seconds:.1f}",
                len({p for _, _, p in reference}),
                len(result.speakers),
                f"{der(reference, hypothesis):.3f}",
                f"{short / speech:.3f}",
                f"{attributed:.3f}",
                f"{attribution_ceiling(mids, reference):.3f}",
                len(words),
                f"{took:.2f}",
                f"{took / seconds:.4f}",
            )
        )


if __name__ == "__main__":
    main()
