"""Peak RSS of a media job's speech step with diarization beside the decoder's last batch and after it.

    .venv/bin/python bench/diarize/job_memory.py [--minutes 10] [--threads 0]

Each variant in a fresh process, allocators configured as a job worker does
(`heap.configure_allocators`): `process_media` on 2-speaker audio (conv2_harvard and
pyannote_sample joined to `--minutes`) with a `SpeakerTracker` that finds the speakers beside the
decoder (`ahead`, `pipeline/speakers_ahead.py`) or after transcription (`after`, as before). Prints
the process's peak RSS (VmHWM) after a warm-up job on 30 s, and what the measured job added to it.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "perf"))

from perfkit import header, joined


def _kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(f"{field} not in /proc/self/status")


def child(variant: str, minutes: float, threads: int) -> None:
    from convoscope.pipeline.heap import configure_allocators

    configure_allocators()  # as the job worker does, before the models load
    import os

    from convoscope.pipeline.diarize.tracker import SpeakerTracker
    from convoscope.pipeline.models.pool import ModelPool
    from convoscope.pipeline.recognize import process_media
    from convoscope.pipeline.transcribe import TranscriptionOptions

    models = Path(os.environ.get("CONVOSCOPE_DATA_DIR", "/tmp/convoscope-bench")) / "models"
    pool = ModelPool(models, default_model="base")
    options = TranscriptionOptions(model="base", language="en")
    clips = ("conv2_harvard.wav", "pyannote_sample.wav")
    with tempfile.TemporaryDirectory() as tmp:
        warm = joined(Path(tmp) / "warm.wav", 30, clips=clips)
        path = joined(Path(tmp) / "two.wav", minutes * 60, clips=clips)
        process_media(warm, options, pool, assign_speakers=SpeakerTracker(threads=threads))
        warm_peak = _kib("VmHWM")
        tracker = SpeakerTracker(threads=threads, ahead=variant == "ahead")
        started = time.perf_counter()
        result = process_media(path, options, pool, assign_speakers=tracker)
        took = time.perf_counter() - started
    peak = _kib("VmHWM")
    print(
        json.dumps(
            {
                "variant": variant,
                "minutes": minutes,
                "seconds": round(took, 1),
                "transcribe_s": round(result.timings["transcribe"], 1),
                "speakers_s": round(result.timings["speakers"], 1),
                "speakers": len(tracker.voiceprints()),
                "sentences": len(result.sentences),
                "warm_peak_mb": round(warm_peak / 1024),
                "peak_mb": round(peak / 1024),
                "added_mb": round((peak - warm_peak) / 1024),
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--threads", type=int, default=0, help="the tracker's threads (0: idle cores)")
    parser.add_argument("--variants", nargs="+", default=["after", "ahead"])
    parser.add_argument("--child", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.minutes, args.threads)
        return
    print(f"job_memory {header()}", flush=True)
    for variant in args.variants:
        command = [sys.executable, __file__, "--child", variant, "--minutes", str(args.minutes)]
        out = subprocess.run([*command, "--threads", str(args.threads)], capture_output=True, text=True)
        if out.returncode:
            raise RuntimeError(out.stderr[-2000:])
        print(out.stdout.strip().splitlines()[-1], flush=True)
    print(f"after: {header()}")


if __name__ == "__main__":
    main()
