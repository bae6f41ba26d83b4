"""Peak memory of decoding long media: whole-file `decode` against the windowed path `process_media` uses.

    .venv/bin/python bench/asr/memory.py [--minutes 10 120] [--transcribe-minutes 0]

Builds a WAV of the requested length from the shared clips, then in a fresh process per case
measures the peak RSS of (a) `decode.decode` (whole file in memory) and (b) walking `iter_windows`
(10-minute windows cut at quiet points), which is what the job path holds. With
`--transcribe-minutes N` it also runs the full `process_media` on an N-minute file with tiny.en.
"""

from __future__ import annotations

import argparse
import logging
import tempfile
import time
import wave
from pathlib import Path

import numpy as np
from common import DATA, in_child, models_dir, peak_rss_mb

SR = 16_000


def build_wav(path: Path, minutes: float) -> Path:
    """A long 16 kHz mono WAV made of conv2_harvard repeated with 0.5 s gaps, written block by block."""
    from convoscope.pipeline import decode

    clip = np.concatenate([decode.decode(DATA / "conv2_harvard.wav"), np.zeros(SR // 2, np.float32)])
    pcm = (np.clip(clip, -1, 1) * 32767).astype("<i2")
    total = int(minutes * 60 * SR)
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(SR)
        done = 0
        while done < total:
            block = pcm[: min(pcm.shape[0], total - done)]
            w.writeframes(block.tobytes())
            done += block.shape[0]
    return path


def _child(case: str, path: str) -> tuple[float, float, float, float]:
    import structlog

    from convoscope.pipeline import decode
    from convoscope.pipeline.models.pool import ModelPool
    from convoscope.pipeline.recognize import MediaLimits, iter_windows, process_media
    from convoscope.pipeline.transcribe import TranscriptionOptions

    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))
    base = peak_rss_mb()
    started = time.monotonic()
    if case == "decode":
        seconds = decode.decode(path).shape[0] / SR
    elif case == "windows":
        seconds = 0.0
        for start, audio in iter_windows(Path(path), False, MediaLimits()):
            seconds = start + audio.shape[1] / SR
    else:
        pool = ModelPool(models_dir())
        pool.get("tiny.en")
        seconds = process_media(path, TranscriptionOptions(model="tiny.en"), pool).duration
    return seconds, time.monotonic() - started, base, peak_rss_mb()


def measure(case: str, path: Path) -> tuple[float, float, float, float]:
    return in_child(_child, case, str(path))  # type: ignore[no-any-return]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--minutes", type=float, nargs="+", default=[10.0, 120.0])
    parser.add_argument("--transcribe-minutes", type=float, nargs="*", default=[])
    args = parser.parse_args()
    import structlog

    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))
    with tempfile.TemporaryDirectory() as tmp:
        for minutes in args.minutes:
            path = build_wav(Path(tmp) / f"{minutes:g}min.wav", minutes)
            for case in ("decode", "windows"):
                seconds, took, base, peak = measure(case, path)
                print(
                    f"{minutes:6.0f} min  {case:<8} peak RSS {peak:6.0f} MB (process start {base:4.0f} MB)"
                    f"  {seconds / 60:6.1f} min of audio in {took:5.1f} s"
                )
        for minutes in args.transcribe_minutes:
            path = build_wav(Path(tmp) / f"t{minutes:g}min.wav", minutes)
            seconds, took, base, peak = measure("job", path)
            print(
                f"{minutes:6.0f} min  process_media tiny.en"
                f"  peak RSS {peak:6.0f} MB  RTF {took / seconds:.3f}"
            )


if __name__ == "__main__":
    main()
