"""A full audio job (upload to `completed`, diarization off) against bare faster-whisper.

    .venv/bin/python bench/perf/job_vs_bare.py [--minutes 2] [--rounds 2] [--model base]
        [--compute-type default] [--variants bare bare-1thread bare-en job job-1stream
        job-torch-default]
        [--no-wer]

`job`: a real server on loopback (embedded SQLite + in-process worker, models warmed by one job), the
file POSTed to /v1/process/audio and polled to `completed` (decode, transcribe, segment, store,
insights). `bare`: `WhisperModel.transcribe(path, word_timestamps=True)` with the same model, beam
size, compute type and threads (one decoder on every core, faster-whisper's usual setup), its
segments consumed; it detects the language (one more encoder pass per file), its default.
`bare-1thread`: the same on one thread (int8 decodes faster so on 2 cores). `bare-en`: bare told
the language, as a job is (no `languageCode` means en-US).
`job-1stream`: the job with `CONVOSCOPE_ASR_STREAMS=1` (one decoder on every core too).
`job-torch-default`: the job with `CONVOSCOPE_TORCH_THREADS=0`. `--compute-type` applies to every
variant (`default`: what the server picks on this machine).

Audio: clips joined with 0.3 s gaps (`dense`) and with 1.5-4 s pauses (`paused`). Each variant runs
in a fresh process, variants are interleaved and the best round kept. WER (shared data README
rules) on the clips with transcripts, and on those clips joined whole into one `--minutes` file
(`long_wer`: where parallel parts and recovered regions matter).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path
from typing import Any

from perfkit import DATA, HookReceiver, header, in_child, joined, live_server, quiet, write_wav

WER_CLIPS = {"jfk.flac": "jfk.txt", "osr_us_000_0034_8k.wav": "osr_us_000_0034_8k.txt"}
WER_CLIPS["conv2_harvard.wav"] = "conv2_harvard.txt"


def bare_child(
    paths: list[str], model: str, compute_type: str, threads: int = 0, language: str | None = None
) -> list[tuple[float, str]]:
    from common import plain_whisper

    quiet()
    whisper = plain_whisper(model, compute_type, threads)
    list(whisper.transcribe(str(DATA / "jfk.flac"), word_timestamps=True)[0])
    out = []
    for path in paths:
        started = time.monotonic()
        segments, _ = whisper.transcribe(path, word_timestamps=True, language=language)
        text = " ".join(s.text for s in segments)
        out.append((time.monotonic() - started, text))
    return out


def bare_one_thread_child(paths: list[str], model: str, compute_type: str) -> list[tuple[float, str]]:
    """Bare faster-whisper on one thread."""
    return bare_child(paths, model, compute_type, threads=1)


def bare_english_child(paths: list[str], model: str, compute_type: str) -> list[tuple[float, str]]:
    """Bare faster-whisper told the language, as a job is (a Symbl request without `languageCode`
    means en-US), so it skips detecting it: one encoder pass less per file."""
    return bare_child(paths, model, compute_type, language="en")


def job_child(
    paths: list[str],
    model: str,
    compute_type: str,
    streams: int = 0,
    torch_threads: int = 1,
    greedy_first: bool = True,
    batch_size: int = 0,
    webhook: bool = False,
) -> list[tuple[float, str]]:
    """The job on a live server, the client polling its status every 0.05 s, or with `webhook` waiting
    for its `completed` status callback instead (a client that does not poll)."""
    out = []
    asr = {"model": model, "compute_type": compute_type, "streams": streams, "greedy_first": greedy_first}
    asr["batch_size"] = batch_size
    hooks = HookReceiver() if webhook else None
    with live_server(asr=asr, worker={"torch_threads": torch_threads}) as (client, _events):
        client.run(DATA / "jfk.flac")  # warmed by one job, as `bare_child` is by one transcription
        for path in paths:
            took, ids = client.run_hooked(Path(path), hooks) if hooks else client.run(Path(path))
            out.append((took, client.text(ids["conversationId"])))
    if hooks:
        hooks.close()  # a child process: an error ends it, receiver and all
    return out


def job_one_stream_child(paths: list[str], model: str, compute_type: str) -> list[tuple[float, str]]:
    """The job with one decoder on every core (the layout before decoding streams)."""
    return job_child(paths, model, compute_type, streams=1)


def long_wer_file(directory: Path, seconds: float) -> tuple[Path, str]:
    """The clips with transcripts joined whole (0.3 s gaps) to at least `seconds`, and the reference."""
    import numpy as np

    from convoscope.pipeline import decode

    clips = [(decode.decode(DATA / audio), (DATA / ref).read_text()) for audio, ref in WER_CLIPS.items()]
    gap = np.zeros(int(0.3 * decode.SAMPLE_RATE), dtype=np.float32)
    parts: list[np.ndarray] = []
    refs: list[str] = []
    total = i = 0
    while total < seconds * decode.SAMPLE_RATE:
        audio, ref = clips[i % len(clips)]
        parts += [audio, gap]
        refs.append(ref)
        total += audio.shape[0] + gap.shape[0]
        i += 1
    return write_wav(directory / "long_wer.wav", np.concatenate(parts)), " ".join(refs)


def job_torch_default_child(paths: list[str], model: str, compute_type: str) -> list[tuple[float, str]]:
    """The job with torch on its default threads (`CONVOSCOPE_TORCH_THREADS=0`)."""
    return job_child(paths, model, compute_type, torch_threads=0)


VARIANTS = {
    "bare": bare_child,
    "bare-1thread": bare_one_thread_child,
    "bare-en": bare_english_child,
    "job": job_child,
    "job-1stream": job_one_stream_child,
    "job-torch-default": job_torch_default_child,
}


def wer(reference: str, hypothesis: str) -> float:
    import jiwer
    from common import normalize

    return float(jiwer.wer(normalize(reference), normalize(hypothesis)))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--model", default="base")
    parser.add_argument("--compute-type", default="default")
    parser.add_argument("--minutes", type=float, default=2.0)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--no-wer", action="store_true")
    parser.add_argument("--variants", nargs="+", choices=list(VARIANTS), default=["bare", "job"])
    args = parser.parse_args()
    from common import models_dir

    from convoscope.pipeline.models.pool import ModelPool

    key = ModelPool(models_dir(), compute_type=args.compute_type).key(args.model)
    print(f"job_vs_bare model={args.model} {key.device}/{key.compute_type} {header()}", flush=True)
    seconds = args.minutes * 60
    with tempfile.TemporaryDirectory() as tmp:
        files = {
            kind: str(joined(Path(tmp) / f"{kind}.wav", seconds, gap=kind)) for kind in ("dense", "paused")
        }
        best: dict[tuple[str, str], float] = {}
        for rnd in range(args.rounds):
            for variant in args.variants:
                results = in_child(VARIANTS[variant], list(files.values()), args.model, args.compute_type)
                for kind, (took, text) in zip(files, results, strict=True):
                    print(
                        f"  round {rnd + 1} {variant:<17} {kind:<6} {took:7.1f} s  RTF {took / seconds:.3f}"
                        f"  words {len(text.split())}",
                        flush=True,
                    )
                    key = (variant, kind)
                    best[key] = min(best.get(key, float("inf")), took)
        print(f"best of {args.rounds} rounds, {seconds:.0f} s of audio each ({header()}):")
        for kind in files:
            for variant in args.variants:
                took = best[(variant, kind)]
                ratios = [
                    f"  vs {name} {best[(name, kind)] / took:.2f}x"
                    for name in ("bare", "bare-1thread", "bare-en")
                    if (name, kind) in best and not variant.startswith("bare")
                ]
                print(f"  {kind:<6} {variant:<17} RTF {took / seconds:.3f}{''.join(ratios)}")
    if args.no_wer:
        return
    with tempfile.TemporaryDirectory() as tmp:
        long_path, long_ref = long_wer_file(Path(tmp), seconds)
        paths = [str(DATA / name) for name in WER_CLIPS] + [str(long_path)]
        refs = [(DATA / ref).read_text() for ref in WER_CLIPS.values()] + [long_ref]
        for variant in args.variants:
            scored: list[Any] = in_child(VARIANTS[variant], paths, args.model, args.compute_type)
            per = [
                f"{Path(p).stem} {wer(r, t) * 100:.1f}"
                for p, r, (_, t) in zip(paths, refs, scored, strict=True)
            ]
            import jiwer
            from common import normalize

            clips = len(WER_CLIPS)
            texts = [normalize(t) for _, t in scored[:clips]]
            overall = jiwer.wer([normalize(r) for r in refs[:clips]], texts)
            print(f"  WER {variant:<17} clips overall {overall * 100:.1f} %  ({', '.join(per)})")


if __name__ == "__main__":
    main()
