"""The compute floor of a recording on this CPU, and a full job's time as a ratio to it.

    .venv/bin/python bench/perf/compute_floor.py [--sizes 1 4 10] [--kinds dense paused]
        [--chunks 8] [--rounds 2] [--model base] [--compute-type int8]

Per 30 s chunk, the model's encoder (`encode`), decoder (`generate`, greedy and beam 5) and word
alignment (`align`) are timed as a job runs them (`BatchedInferencePipeline`, one chunk a batch),
on `--chunks` chunks of dense speech, with every core busy: one single-threaded model per core, each
decoding its share of the chunks at the same time (so the cores' contention is in the figures).
The floor of a file is its chunks (`speech_chunks.chunk_bounds`, as a job cuts them) times the
per-chunk cost, over the cores: `encoder + greedy decoder` is what no decoding can go under with
this model; `+ alignment` is the floor with word timestamps. The full job (upload to `completed`,
diarization off, a real server) runs on the same files in the same run; its median over `--rounds`
is printed as a ratio to each floor.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from job_vs_bare import job_child
from perfkit import DATA, header, in_child, joined, quiet
from profile_decoder import _Timed, _timer


def per_chunk_child(seconds: float, chunks: int, compute_type: str) -> dict[str, float]:
    """Seconds per chunk of encode / generate (beam 1 and 5) / align, every core decoding at once."""
    from faster_whisper import BatchedInferencePipeline, WhisperModel

    from convoscope.pipeline import decode
    from convoscope.pipeline.models.device import default_cpu_threads
    from convoscope.pipeline.models.pool import ModelPool
    from convoscope.pipeline.speech_chunks import SpeechMap, chunk_bounds, speech_regions

    quiet()
    path = ModelPool(Path(__file__).resolve().parents[2] / "data" / "models").key().path
    with tempfile.TemporaryDirectory() as tmp:
        audio = decode.decode(joined(Path(tmp) / "dense.wav", seconds))
    speech = SpeechMap.of(speech_regions(audio))
    speech_joined = speech.join(audio)
    clips = [{"start": a / 16000, "end": b / 16000} for a, b in chunk_bounds(speech)[:chunks]]
    cores = default_cpu_threads()
    out: dict[str, float] = {}
    for beam in (1, 5):
        kwargs = {"language": "en", "beam_size": beam, "word_timestamps": True}
        spent: list[dict[str, float]] = [defaultdict(float) for _ in range(cores)]
        pipelines = []
        for i in range(cores):
            model = WhisperModel(path, device="cpu", compute_type=compute_type, cpu_threads=1)
            model.encode = _timer(model.encode, "encode", spent[i])
            model.add_word_timestamps = _timer(model.add_word_timestamps, "align", spent[i])
            model.model = _Timed(model.model, {"generate": "generate"}, spent[i])
            pipelines.append(BatchedInferencePipeline(model))
            list(pipelines[i].transcribe(str(DATA / "jfk.flac"), **kwargs)[0])  # warm

        for times in spent:
            times.clear()
        started = time.monotonic()
        threads = [
            threading.Thread(
                target=_decode_share, args=(pipelines[i], speech_joined, clips[i::cores], kwargs)
            )
            for i in range(cores)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.monotonic() - started
        for step in ("encode", "generate", "align"):
            out[f"{step}-{beam}"] = sum(s[step] for s in spent) / len(clips)
        out[f"wall-{beam}"] = wall * cores / len(clips)  # core-seconds a chunk, everything included
    out["cores"] = cores
    return out


def _decode_share(pipeline: Any, audio: Any, clips: list[dict[str, float]], kwargs: dict[str, Any]) -> None:
    for clip in clips:
        segments, _ = pipeline.transcribe(audio, batch_size=1, clip_timestamps=[clip], **kwargs)
        list(segments)


def count_chunks(path: str) -> int:
    from convoscope.pipeline import decode
    from convoscope.pipeline.models.device import default_cpu_threads
    from convoscope.pipeline.speech_chunks import SpeechMap, chunk_bounds, speech_regions

    speech = SpeechMap.of(speech_regions(decode.decode(Path(path))))
    return len(chunk_bounds(speech, min(default_cpu_threads(), 4)))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--model", default="base")
    parser.add_argument("--compute-type", default="int8")
    parser.add_argument("--sizes", type=float, nargs="+", default=[1, 4, 10], help="minutes")
    parser.add_argument("--kinds", nargs="+", default=["dense", "paused"])
    parser.add_argument("--chunks", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    print(f"compute_floor model={args.model} {args.compute_type} {header()}", flush=True)
    cost = in_child(per_chunk_child, 240.0, args.chunks, args.compute_type)
    cores = int(cost["cores"])
    print(f"  per 30 s chunk, {cores} single-threaded models decoding at once ({header()}):")
    for beam in (1, 5):
        print(
            f"    beam {beam}: encode {cost[f'encode-{beam}']:.3f} s,"
            f" generate {cost[f'generate-{beam}']:.3f} s, align {cost[f'align-{beam}']:.3f} s;"
            f" all in {cost[f'wall-{beam}']:.3f} core-seconds",
            flush=True,
        )
    greedy = cost["encode-1"] + cost["generate-1"]
    aligned = greedy + cost["align-1"]
    beam_cost = cost["encode-5"] + cost["generate-5"] + cost["align-5"]
    with tempfile.TemporaryDirectory() as tmp:
        files = [
            (kind, minutes, str(joined(Path(tmp) / f"{kind}-{minutes:g}.wav", minutes * 60, gap=kind)))
            for minutes in args.sizes
            for kind in args.kinds
        ]
        runs: dict[str, list[float]] = defaultdict(list)
        for _ in range(args.rounds):
            results = in_child(job_child, [p for *_, p in files], args.model, args.compute_type)
            for (_, _, path), (took, _) in zip(files, results, strict=True):
                runs[path].append(took)
        print(f"  the job against the floor (median of {args.rounds} rounds; {header()}):")
        for kind, minutes, path in files:
            chunks = count_chunks(path)
            job = statistics.median(runs[path])
            floor, floor_aligned = chunks * greedy / cores, chunks * aligned / cores
            print(
                f"    {minutes:g} min {kind:<6} {chunks:3d} chunks: floor {floor:6.2f} s"
                f" (+ alignment {floor_aligned:6.2f} s), job {job:6.2f} s ="
                f" {job / floor:.2f}x the floor, {job / floor_aligned:.2f}x with alignment"
                f" (beam 5 on every chunk, aligned: {chunks * beam_cost / cores:6.2f} s)",
                flush=True,
            )


if __name__ == "__main__":
    main()
