"""Diarization benchmark: accuracy on the reference clips, speed next to transcription, scaling.

    .venv/bin/python bench/diarize/run.py clips [--model base|tiny.en] [--threads N]
    .venv/bin/python bench/diarize/run.py scale --minutes 10 60

`clips`: on conv2_harvard.wav and pyannote_sample.wav (../shared/data), the estimated speaker count
(not told), DER (pyannote.metrics, collar 0.25 s, overlap scored), word attribution (share of words
recognised by faster-whisper whose midpoint lies in a reference turn of the speaker they were given,
after the best one-to-one speaker mapping), diarization real-time factor, and the time of diarization
over the time of transcription of the same audio (the overhead diarization adds to a job).
`scale`: diarization of long audio made by joining the clips, each length in a fresh process:
wall time, real-time factor and peak RSS.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
import warnings
from collections.abc import Sequence
from pathlib import Path

import numpy as np

DATA = Path(os.environ.get("CONVOSCOPE_SHARED_DATA", Path(__file__).resolve().parents[3] / "shared" / "data"))
CLIPS = ("conv2_harvard", "pyannote_sample")
SAMPLE_RATE = 16_000


def load(name: str) -> np.ndarray:
    from faster_whisper.audio import decode_audio

    return np.asarray(decode_audio(str(DATA / name), sampling_rate=SAMPLE_RATE), dtype=np.float32)


def read_rttm(path: Path) -> list[tuple[float, float, str]]:
    turns = []
    for line in path.read_text().splitlines():
        parts = line.split()
        if parts and parts[0] == "SPEAKER":
            start, duration = float(parts[3]), float(parts[4])
            turns.append((start, start + duration, parts[7]))
    return turns


def der(
    reference: Sequence[tuple[float, float, str]], hypothesis: Sequence[tuple[float, float, str]]
) -> float:
    from pyannote.core import Annotation, Segment
    from pyannote.metrics.diarization import DiarizationErrorRate

    warnings.filterwarnings("ignore", message="'uem' was approximated")
    ref, hyp = Annotation(), Annotation()
    for i, (s, e, spk) in enumerate(reference):
        ref[Segment(s, e), i] = spk
    for i, (s, e, spk) in enumerate(hypothesis):
        hyp[Segment(s, e), i] = spk
    return float(DiarizationErrorRate(collar=0.25, skip_overlap=False)(ref, hyp))


def attribution(words: Sequence[tuple[float, str]], reference: Sequence[tuple[float, float, str]]) -> float:
    """Share of words (midpoint, system speaker) inside a reference turn of the mapped speaker."""
    from scipy.optimize import linear_sum_assignment

    system = sorted({spk for _, spk in words})
    refs = sorted({spk for _, _, spk in reference})
    hits = np.zeros((len(system), len(refs)))
    for mid, spk in words:
        for r, ref in enumerate(refs):
            if any(s <= mid <= e and rs == ref for s, e, rs in reference):
                hits[system.index(spk), r] += 1
    rows, cols = linear_sum_assignment(-hits)
    return float(hits[rows, cols].sum() / max(len(words), 1))


def asr_model(name: str, threads: int) -> object:
    from faster_whisper import WhisperModel

    from convoscope.pipeline.models.weights import resolve_model

    path = resolve_model(
        name, Path(os.environ.get("CONVOSCOPE_DATA_DIR", "/tmp/convoscope-bench")) / "models"
    )
    return WhisperModel(str(path), device="cpu", compute_type="float32", cpu_threads=threads)


def clips(model_name: str, threads: int) -> None:
    from convoscope.pipeline.diarize import assign_speakers, diarize, get_encoder
    from convoscope.pipeline.types import Word

    get_encoder()
    model = asr_model(model_name, threads)
    print(f"cores={os.cpu_count()} asr_model={model_name} threads={threads}")
    header = (
        "clip",
        "secs",
        "count",
        "DER",
        "attrib",
        "words",
        "diar_s",
        "diar_RTF",
        "asr_s",
        "diar/asr",
        "cpu d/a",
    )
    print("{:<16} {:>6} {:>5} {:>6} {:>7} {:>5} {:>7} {:>8} {:>6} {:>8} {:>7}".format(*header))
    for clip in CLIPS:
        audio = load(f"{clip}.wav")
        seconds = len(audio) / SAMPLE_RATE
        reference = read_rttm(DATA / f"{clip}.rttm")
        diarize(audio)  # warm-up (VAD session, first torch call)
        started, cpu = time.perf_counter(), time.process_time()
        result = diarize(audio)
        diar_s, diar_cpu = time.perf_counter() - started, time.process_time() - cpu
        started, cpu = time.perf_counter(), time.process_time()
        segments, _ = model.transcribe(audio, word_timestamps=True, vad_filter=True)  # type: ignore[attr-defined]
        words = [Word(w.word.strip(), w.start, w.end) for seg in segments for w in seg.words or ()]
        asr_s, asr_cpu = time.perf_counter() - started, time.process_time() - cpu
        labelled = assign_speakers(words, result.turns)
        attrib = attribution([((w.start + w.end) / 2, w.speaker or "") for w in labelled], reference)
        hyp = [(t.start, t.end, t.speaker) for t in result.turns]
        print(
            f"{clip:<16} {seconds:6.1f} {len(result.speakers):5d} {der(reference, hyp):6.3f} {attrib:7.3f} "
            f"{len(words):5d} {diar_s:7.2f} {diar_s / seconds:8.4f} {asr_s:6.2f} {diar_s / asr_s:8.3f} "
            f"{diar_cpu / asr_cpu:7.3f}"
        )
    print(f"peak_rss_mb={resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} (ASR model included)")


def long_audio(minutes: float) -> np.ndarray:
    parts = [load(name) for name in ("conv2_harvard.wav", "pyannote_sample.wav", "jfk.flac")]
    gap = np.zeros(SAMPLE_RATE // 2, dtype=np.float32)
    unit = np.concatenate([p for part in parts for p in (part, gap)])
    n = int(minutes * 60 * SAMPLE_RATE)
    return np.resize(unit, n)  # float32 like `unit`: no second copy


def rss_mb(field: str = "VmRSS") -> float:
    """Current (VmRSS) or peak (VmHWM) resident memory of this process, in MiB (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"{field} not in /proc/self/status")


def reset_peak_rss() -> None:
    """Restart the kernel's peak-RSS count (VmHWM) from the current RSS (Linux >= 4.0)."""
    Path("/proc/self/clear_refs").write_text("5")


def scale_child(minutes: float) -> None:
    from convoscope.pipeline.diarize import diarize, get_encoder

    get_encoder()
    diarize(long_audio(0.5))  # warm-up
    audio = long_audio(minutes)
    reset_peak_rss()
    before = rss_mb()
    started, cpu = time.perf_counter(), time.process_time()
    result = diarize(audio)
    took, cpu = time.perf_counter() - started, time.process_time() - cpu
    peak = rss_mb("VmHWM")
    print(
        json.dumps(
            {
                "minutes": minutes,
                "seconds": round(took, 1),
                "rtf": round(took / (minutes * 60), 4),
                "cpu_seconds": round(cpu, 1),
                "speakers": len(result.speakers),
                "turns": len(result.turns),
                "audio_mb": round(audio.nbytes / 2**20),
                "rss_before_mb": round(before),
                "peak_rss_mb": round(peak),
                "peak_over_before_mb": round(peak - before),
            }
        )
    )


def scale(minutes: Sequence[float]) -> None:
    print(f"cores={os.cpu_count()}")
    for m in minutes:
        out = subprocess.run(
            [sys.executable, __file__, "scale-child", str(m)], capture_output=True, text=True, check=True
        )
        print(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True)
    c = sub.add_parser("clips")
    c.add_argument("--model", default="base")
    c.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    s = sub.add_parser("scale")
    s.add_argument("--minutes", type=float, nargs="+", default=[10.0, 60.0])
    sc = sub.add_parser("scale-child")
    sc.add_argument("minutes", type=float)
    args = parser.parse_args()
    if args.command == "clips":
        clips(args.model, args.threads)
    elif args.command == "scale":
        scale(args.minutes)
    else:
        scale_child(args.minutes)


if __name__ == "__main__":
    main()
