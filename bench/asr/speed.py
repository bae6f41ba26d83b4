"""Speed and memory: our `process_media` path against bare faster-whisper, on the same audio.

    .venv/bin/python bench/asr/speed.py [--model base] [--minutes 3] [--rounds 2]

Two inputs are built by joining the shared clips: speech-dense (gaps of 0.3 s) and with natural
pauses (1.5 to 4 s of quiet room noise between utterances). Each variant runs in its own fresh
process (so peak RSS is its own), with the model loaded and warmed up before the clock starts:

- `bare`: `WhisperModel.transcribe(path, word_timestamps=True)` with its defaults otherwise, the same
  model, beam size (5), compute type and threads; the segments generator fully consumed.
- `ours`: `process_media(path, TranscriptionOptions(), pool)` with our defaults (batched, VAD on).
- `ours-seq`: the same with `batched=False` (what the pipeline itself costs over bare decoding).

Variants are interleaved over `--rounds` and the fastest round of each is kept, which is robust to
other load on a shared machine. RTF = processing seconds / audio seconds (lower is faster).
"""

from __future__ import annotations

import argparse
import logging
import os
import tempfile
import time
import wave
from pathlib import Path

import numpy as np
from common import DATA, in_child, models_dir, peak_rss_mb, plain_whisper

SR = 16_000
CLIPS = ("jfk.flac", "conv2_harvard.wav", "osr_us_000_0034_8k.wav", "pyannote_sample.wav", "hotwords.mp3")


def _utterances() -> list[np.ndarray]:
    from convoscope.pipeline import decode

    return [decode.decode(DATA / name) for name in CLIPS]


def build_audio(out_dir: Path, minutes: float) -> dict[str, Path]:
    """Write the speech-dense and the paused WAV files (16 kHz mono) and return their paths."""
    rng = np.random.default_rng(0)
    clips = _utterances()
    target = int(minutes * 60 * SR)
    paths = {}
    for kind, gap in (("dense", lambda: 0.3), ("paused", lambda: float(rng.uniform(1.5, 4.0)))):
        parts: list[np.ndarray] = []
        total = 0
        i = 0
        while total < target:
            clip = clips[i % len(clips)]
            silence = (rng.standard_normal(int(gap() * SR)) * 0.002).astype(np.float32)
            parts += [clip, silence]
            total += clip.shape[0] + silence.shape[0]
            i += 1
        audio = np.concatenate(parts)[:target]
        path = out_dir / f"{kind}.wav"
        with wave.open(str(path), "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(SR)
            w.writeframes((np.clip(audio, -1, 1) * 32767).astype("<i2").tobytes())
        paths[kind] = path
    return paths


def _child(variant: str, path: str, model: str) -> tuple[float, float, float, int]:
    import structlog

    from convoscope.pipeline.models.pool import ModelPool
    from convoscope.pipeline.recognize import process_media
    from convoscope.pipeline.transcribe import TranscriptionOptions

    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))
    # The sequential decoder uses one stream: give it every core, as `ours` gets them in streams.
    pool = ModelPool(models_dir(), streams=1 if variant == "ours-seq" else 0)
    whisper = plain_whisper(model) if variant == "bare" else pool.get(model)
    warm = str(DATA / "jfk.flac")
    if variant == "bare":

        def run(p: str) -> int:
            segments, _ = whisper.transcribe(p, word_timestamps=True)
            return sum(len(s.words or ()) for s in segments)
    else:
        options = TranscriptionOptions(model=model, batched=variant == "ours")

        def run(p: str) -> int:
            return sum(len(s.words) for s in process_media(p, options, pool).sentences)

    run(warm)
    cpu = time.process_time()
    started = time.monotonic()
    words = run(path)
    return time.monotonic() - started, time.process_time() - cpu, peak_rss_mb(), words


def measure(variant: str, path: Path, model: str) -> tuple[float, float, float, int]:
    return in_child(_child, variant, str(path), model)  # type: ignore[no-any-return]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--model", default="base")
    parser.add_argument("--minutes", type=float, default=3.0)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--variants", nargs="+", default=["bare", "ours", "ours-seq"])
    parser.add_argument("--audio", nargs="+", default=["dense", "paused"])
    args = parser.parse_args()
    import structlog

    from convoscope.pipeline.models.device import default_cpu_threads
    from convoscope.pipeline.models.pool import ModelPool

    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))

    key = ModelPool(models_dir()).key(args.model)
    print(
        f"model {args.model} {key.device}/{key.compute_type} ours: {key.streams} streams x {key.cpu_threads}"
        f" threads, bare: 1 x {default_cpu_threads()} threads, cores={os.cpu_count()}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        paths = build_audio(Path(tmp), args.minutes)
        for kind in args.audio:
            seconds = args.minutes * 60
            best: dict[str, tuple[float, float, float, int]] = {}
            for rnd in range(args.rounds):
                for variant in args.variants:
                    took, cpu, rss, words = measure(variant, paths[kind], args.model)
                    print(
                        f"  {kind:<6} round {rnd + 1} {variant:<9} wall {took:6.1f} s  cpu {cpu:6.1f} s"
                        f"  RTF {took / seconds:.3f}  words {words}"
                    )
                    if variant not in best or took < best[variant][0]:
                        best[variant] = (took, cpu, rss, words)
            print(
                f"{kind} audio, {seconds:.0f} s"
                f" (best of {args.rounds}, load average {os.getloadavg()[0]:.1f}):"
            )
            bare = best.get("bare")
            for variant, (took, cpu, rss, words) in best.items():
                speed = f"  vs bare: wall {bare[0] / took:.2f}x cpu {bare[1] / cpu:.2f}x" if bare else ""
                print(
                    f"  {variant:<9} RTF {took / seconds:.3f} ({seconds / took:5.1f}x real time)"
                    f"  cpu {cpu:6.1f} s  peak RSS {rss:6.0f} MB  words {words}{speed}"
                )


if __name__ == "__main__":
    main()
