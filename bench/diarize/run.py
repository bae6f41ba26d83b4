"""Diarization benchmark: accuracy on the reference clips, speed next to transcription, scaling.

    .venv/bin/python bench/diarize/run.py clips [--model base|tiny.en] [--threads N] [--told]
    .venv/bin/python bench/diarize/run.py scale --minutes 10 60

`clips`: on conv2_harvard.wav and pyannote_sample.wav (../shared/data), the estimated speaker count
(not told), DER (pyannote.metrics, collar 0.25 s, overlap scored), word attribution (share of words
recognised by faster-whisper whose midpoint lies in a reference turn of the speaker they were given,
after the best one-to-one speaker mapping; `max`: the share whose midpoint lies in any reference turn,
the most any diarization can reach with these words), diarization real-time factor, and the time of
diarization over the time of transcription of the same audio. Transcripts are cached per clip and model
in /tmp/convoscope-bench (their time too, so `diar/asr` mixes runs: use bench/perf/diarization_overhead.py
for the share of a job). Clips: ../shared/data, tests/data/meetings (AMI excerpts), tests/data/calls
(8 kHz phone calls) and tests/data/conversations (two people, wideband).
`--told`: each clip with a reference is told its speaker count (`num_speakers`), as
`diarizationSpeakerCount` tells a job; the one without is estimated.
`scale`: diarization of long audio made by joining the clips, each length in a fresh process:
wall time, real-time factor and peak RSS; `--threads N`: on N one-thread workers (`workers.py`).
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

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from tests.fixtures.diarization import attribution, attribution_ceiling  # one measure for tests and bench

DATA = Path(os.environ.get("CONVOSCOPE_SHARED_DATA", Path(__file__).resolve().parents[3] / "shared" / "data"))
HERE = Path(__file__).resolve().parents[2] / "tests" / "data" / "meetings"
CALLS = HERE.parent / "calls"  # telephone calls (README there); scored where an RTTM lies beside
CONVERSATIONS = HERE.parent / "conversations"  # two people, wideband (README there); the same
# Clips of ../shared/data: those with an RTTM are scored; the 8 kHz one has one speaker (count only).
SHARED = ("conv2_harvard", "pyannote_sample", "osr_us_000_0034_8k")
SAMPLE_RATE = 16_000


def load_path(path: Path) -> np.ndarray:
    from faster_whisper.audio import decode_audio

    return np.asarray(decode_audio(str(path), sampling_rate=SAMPLE_RATE), dtype=np.float32)


def load(name: str) -> np.ndarray:
    return load_path(DATA / name)


def read_rttm(path: Path) -> list[tuple[float, float, str]]:
    turns = []
    for line in path.read_text().splitlines():
        parts = line.split()
        if parts and parts[0] == "SPEAKER":
            start, duration = float(parts[3]), float(parts[4])
            turns.append((start, start + duration, parts[7]))
    return turns


def der(
    reference: Sequence[tuple[float, float, str]],
    hypothesis: Sequence[tuple[float, float, str]],
    *,
    duration: float | None = None,
    unscored: Sequence[tuple[float, float]] = (),
) -> float:
    """DER, collar 0.25 s, overlap scored; with `duration`, over 0..duration less `unscored` (a UEM),
    else over what pyannote approximates from the turns."""
    from pyannote.core import Annotation, Segment, Timeline
    from pyannote.metrics.diarization import DiarizationErrorRate

    warnings.filterwarnings("ignore", message="'uem' was approximated")
    ref, hyp = Annotation(), Annotation()
    for i, (s, e, spk) in enumerate(reference):
        ref[Segment(s, e), i] = spk
    for i, (s, e, spk) in enumerate(hypothesis):
        hyp[Segment(s, e), i] = spk
    uem = None
    if duration is not None:
        uem = Timeline([Segment(0.0, duration)]).extrude(Timeline([Segment(s, e) for s, e in unscored]))
    return float(DiarizationErrorRate(collar=0.25, skip_overlap=False)(ref, hyp, uem=uem))


def asr_model(name: str, threads: int) -> object:
    from faster_whisper import WhisperModel

    from convoscope.pipeline.models.weights import resolve_model

    path = resolve_model(
        name, Path(os.environ.get("CONVOSCOPE_DATA_DIR", "/tmp/convoscope-bench")) / "models"
    )
    return WhisperModel(str(path), device="cpu", compute_type="float32", cpu_threads=threads)


def clip_paths(names: Sequence[str]) -> list[tuple[str, Path, Path | None]]:
    """(name, audio, reference RTTM or None) for the shared clips and those of tests/data."""
    out: list[tuple[str, Path, Path | None]] = []
    for name in SHARED:
        if names and name not in names:
            continue
        audio = DATA / f"{name}.wav"
        rttm = DATA / f"{name}.rttm"
        out.append((name, audio, rttm if rttm.is_file() else None))
    for audio in sorted(HERE.glob("*.wav")):
        if not names or audio.stem in names:
            out.append((audio.stem, audio, audio.with_suffix(".rttm")))
    for audio in [*sorted(CALLS.glob("*.wav")), *sorted(CONVERSATIONS.glob("*.wav"))]:
        if audio.with_suffix(".rttm").is_file() and (not names or audio.stem in names):
            out.append((audio.stem, audio, audio.with_suffix(".rttm")))
    return out


def transcribe_cached(model: object, name: str, audio: np.ndarray, tag: str) -> tuple[list, float]:
    """Words (text, start, end) and transcription seconds; cached on disk per clip and model."""
    cache = (
        Path(os.environ.get("CONVOSCOPE_BENCH_CACHE", "/tmp/convoscope-bench")) / f"words-{tag}-{name}.json"
    )
    if cache.is_file():
        data = json.loads(cache.read_text())
        return [tuple(w) for w in data["words"]], float(data["seconds"])
    started = time.perf_counter()
    segments, _ = model.transcribe(audio, word_timestamps=True, vad_filter=True)  # type: ignore[attr-defined]
    words = [(w.word.strip(), w.start, w.end) for seg in segments for w in seg.words or ()]
    seconds = time.perf_counter() - started
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.write_text(json.dumps({"words": words, "seconds": seconds}))
    return words, seconds


def clips(
    model_name: str,
    threads: int,
    names: Sequence[str],
    embedder: str | None,
    tuned: dict[str, object],
    told: bool = False,
) -> None:
    from convoscope.pipeline.diarize import assign_speakers, diarize
    from convoscope.pipeline.types import Word

    settings = _settings(embedder, tuned)
    model = asr_model(model_name, threads)
    print(
        f"cores={os.cpu_count()} asr_model={model_name} threads={threads} "
        f"embedder={embedder or 'default'} {tuned or ''}{' told=reference count' if told else ''}"
    )
    header = (
        "clip",
        "secs",
        "ref",
        "count",
        "DER",
        "attrib",
        "max",
        "words",
        "diar_s",
        "diar_RTF",
        "asr_s",
        "diar/asr",
    )
    row = "{:<20} {:>5} {:>3} {:>5} {:>6} {:>6} {:>5} {:>5} {:>6} {:>8} {:>6} {:>8}"
    print(row.format(*header))
    diarize(load_path(clip_paths(names)[0][1]), settings=settings)  # warm-up (model load, first call)
    totals = {"audio": 0.0, "diar": 0.0, "asr": 0.0}
    for name, path, rttm in clip_paths(names):
        audio = load_path(path)
        seconds = len(audio) / SAMPLE_RATE
        reference = read_rttm(rttm) if rttm is not None else []
        count = len({spk for _, _, spk in reference}) if told and reference else None
        started = time.perf_counter()
        result = diarize(audio, num_speakers=count, settings=settings)
        diar_s = time.perf_counter() - started
        raw, asr_s = transcribe_cached(model, name, audio, model_name)
        words = [Word(text, start, end) for text, start, end in raw]
        ref_n, der_s, attrib_s, ceiling_s = "-", "-", "-", "-"
        if rttm is not None:
            ref_n = str(len({spk for _, _, spk in reference}))
            hyp = [(t.start, t.end, t.speaker) for t in result.turns]
            der_s = f"{der(reference, hyp):.3f}"
            labelled = assign_speakers(words, result.turns)
            attrib = attribution([((w.start + w.end) / 2, w.speaker or "") for w in labelled], reference)
            attrib_s = f"{attrib:.3f}"
            mids = [(w.start + w.end) / 2 for w in words]
            ceiling_s = (
                f"{attribution_ceiling(mids, reference):.3f}"  # words in no reference turn count as wrong
            )
        totals["audio"] += seconds
        totals["diar"] += diar_s
        totals["asr"] += asr_s
        print(
            row.format(
                name,
                f"{seconds:.1f}",
                ref_n,
                len(result.speakers),
                der_s,
                attrib_s,
                ceiling_s,
                len(words),
                f"{diar_s:.2f}",
                f"{diar_s / seconds:.4f}",
                f"{asr_s:.2f}",
                f"{diar_s / asr_s:.3f}",
            )
        )
    print(
        f"total audio={totals['audio']:.0f}s diar_RTF={totals['diar'] / totals['audio']:.4f} "
        f"diar/asr={totals['diar'] / totals['asr']:.3f}"
    )
    print(f"peak_rss_mb={resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} (ASR model included)")


def _settings(embedder: str | None, tuned: dict[str, object]) -> object:
    from convoscope.pipeline.diarize import DiarizeSettings

    if embedder is None:
        return DiarizeSettings(**tuned)  # type: ignore[arg-type]
    return DiarizeSettings(embedder=embedder, **tuned)  # type: ignore[arg-type]


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


def scale_child(minutes: float, threads: int = 1) -> None:
    from convoscope.pipeline.diarize import DiarizeSettings, diarize, get_encoder

    get_encoder()
    diarize(long_audio(0.5))  # warm-up
    audio = long_audio(minutes)
    reset_peak_rss()
    before = rss_mb()
    started, cpu = time.perf_counter(), time.process_time()
    result = diarize(audio, settings=DiarizeSettings(threads=threads))
    took, cpu = time.perf_counter() - started, time.process_time() - cpu
    peak = rss_mb("VmHWM")
    print(
        json.dumps(
            {
                "minutes": minutes,
                "threads": threads,
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


def scale(minutes: Sequence[float], threads: int = 1) -> None:
    print(f"cores={os.cpu_count()}")
    for m in minutes:
        out = subprocess.run(
            [sys.executable, __file__, "scale-child", str(m), "--threads", str(threads)],
            capture_output=True,
            text=True,
            check=True,
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
    c.add_argument("--clips", nargs="*", default=[], help="names (default: all)")
    c.add_argument("--embedder", default=None, help="campplus or resemblyzer (default: the engine's)")
    c.add_argument("--window", type=float, default=None, help="embedding window (default: the engine's)")
    c.add_argument("--hop", type=float, default=None, help="embedding hop (default: the engine's)")
    c.add_argument(
        "--told", action="store_true", help="tell each clip its reference speaker count (num_speakers)"
    )
    c.add_argument(
        "--bf16",
        choices=("auto", "on", "off"),
        default="auto",
        help="bfloat16 encoder (auto: if the CPU has it)",
    )
    s = sub.add_parser("scale")
    s.add_argument("--minutes", type=float, nargs="+", default=[10.0, 60.0])
    s.add_argument("--threads", type=int, default=1, help="workers (`DiarizeSettings.threads`)")
    sc = sub.add_parser("scale-child")
    sc.add_argument("minutes", type=float)
    sc.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    if args.command == "clips":
        tuned: dict[str, object] = {
            k: v for k, v in (("window", args.window), ("hop", args.hop)) if v is not None
        }
        bf16 = {"auto": None, "on": True, "off": False}[args.bf16]
        if bf16 is not None:
            tuned["bf16"] = bf16
        clips(args.model, args.threads, args.clips, args.embedder, tuned, args.told)
    elif args.command == "scale":
        scale(args.minutes, args.threads)
    else:
        scale_child(args.minutes, args.threads)


if __name__ == "__main__":
    main()
