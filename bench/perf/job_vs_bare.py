"""A full audio job (upload to `completed`, diarization off) against bare faster-whisper.

    .venv/bin/python bench/perf/job_vs_bare.py [--minutes 2] [--rounds 2] [--model base]

`job`: a real server on loopback (embedded SQLite + in-process worker, models warmed by one job), the
file POSTed to /v1/process/audio and polled to `completed` (decode, transcribe, segment, store,
insights). `bare`: `WhisperModel.transcribe(path, word_timestamps=True)` with the same model, beam
size, compute type and threads, its segments consumed. Audio: clips joined with 0.3 s gaps
(`dense`) and with 1.5-4 s pauses (`paused`). Each variant runs in a fresh process, variants are
interleaved and the best round kept. WER (shared data README rules) on the clips with transcripts.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path
from typing import Any

from perfkit import DATA, ROOT, header, in_child, joined, live_server, quiet

WER_CLIPS = {"jfk.flac": "jfk.txt", "osr_us_000_0034_8k.wav": "osr_us_000_0034_8k.txt"}
WER_CLIPS["conv2_harvard.wav"] = "conv2_harvard.txt"


def bare_child(paths: list[str], model: str) -> list[tuple[float, str]]:
    from convoscope.pipeline.models import ModelPool

    quiet()
    whisper = ModelPool(ROOT / "data" / "models").get(model)
    list(whisper.transcribe(str(DATA / "jfk.flac"), word_timestamps=True)[0])
    out = []
    for path in paths:
        started = time.monotonic()
        segments, _ = whisper.transcribe(path, word_timestamps=True)
        text = " ".join(s.text for s in segments)
        out.append((time.monotonic() - started, text))
    return out


def job_child(paths: list[str], model: str) -> list[tuple[float, str]]:
    out = []
    with live_server(asr_model=model) as (client, _events):
        for path in paths:
            took, ids = client.run(Path(path))
            out.append((took, client.text(ids["conversationId"])))
    return out


VARIANTS = {"bare": bare_child, "job": job_child}


def wer(reference: str, hypothesis: str) -> float:
    import jiwer
    from common import normalize

    return float(jiwer.wer(normalize(reference), normalize(hypothesis)))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--model", default="base")
    parser.add_argument("--minutes", type=float, default=2.0)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--no-wer", action="store_true")
    args = parser.parse_args()
    print(f"job_vs_bare model={args.model} {header()}", flush=True)
    seconds = args.minutes * 60
    with tempfile.TemporaryDirectory() as tmp:
        files = {
            kind: str(joined(Path(tmp) / f"{kind}.wav", seconds, gap=kind)) for kind in ("dense", "paused")
        }
        best: dict[tuple[str, str], float] = {}
        for rnd in range(args.rounds):
            for variant, child in VARIANTS.items():
                results = in_child(child, list(files.values()), args.model)
                for kind, (took, text) in zip(files, results, strict=True):
                    print(
                        f"  round {rnd + 1} {variant:<4} {kind:<6} {took:7.1f} s  RTF {took / seconds:.3f}"
                        f"  words {len(text.split())}",
                        flush=True,
                    )
                    key = (variant, kind)
                    best[key] = min(best.get(key, float("inf")), took)
        print(f"best of {args.rounds} rounds, {seconds:.0f} s of audio each ({header()}):")
        for kind in files:
            bare, job = best[("bare", kind)], best[("job", kind)]
            print(
                f"  {kind:<6} bare RTF {bare / seconds:.3f}  job RTF {job / seconds:.3f}"
                f"  job speed / bare speed {bare / job:.2f}x"
            )
    if args.no_wer:
        return
    paths = [str(DATA / name) for name in WER_CLIPS]
    for variant, child in VARIANTS.items():
        scored: list[Any] = in_child(child, paths, args.model)
        refs = [(DATA / ref).read_text() for ref in WER_CLIPS.values()]
        per = [
            f"{Path(p).stem} {wer(r, t) * 100:.1f}" for p, r, (_, t) in zip(paths, refs, scored, strict=True)
        ]
        import jiwer
        from common import normalize

        overall = jiwer.wer([normalize(r) for r in refs], [normalize(t) for _, t in scored]) * 100
        print(f"  WER {variant:<4} overall {overall:.1f} %  ({', '.join(per)})")


if __name__ == "__main__":
    main()
