"""The compute floor of a recording on this CPU, and a full job's time as a ratio to it.

    .venv/bin/python bench/perf/compute_floor.py [--sizes 1 4 10] [--kinds dense paused]
        [--chunks 8] [--rounds 2] [--model base] [--compute-type int8] [--batch-size 1]

Per 30 s chunk, the CPU seconds of the model's encoder (`encode`), decoder (`generate`, greedy and
beam 5) and word alignment (`align`) are measured as a job runs them (`BatchedInferencePipeline`,
`--batch-size` chunks a batch, one single-threaded model) on `--chunks` chunks of dense speech. CPU time, not
wall time: on a machine shared with other work, wall time mostly measures the others. The floor of
a file is its chunks (`speech_chunks.chunk_bounds`, as a job cuts them) times the per-chunk cost:
`encoder + greedy decoder` is what no decoding of those chunks goes under with this model;
`+ alignment` the floor with word timestamps. The full job (upload to `completed`, diarization off,
a real server) runs on the same files; the CPU seconds of its whole server process (HTTP, VAD,
decoding, dropped speech decoded again, insights, storage) are printed as a ratio to the floor,
with its wall time (over the cores, the wall time of an idle machine is at best CPU / cores).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from perfkit import DATA, header, in_child, joined, live_server, quiet


class _CpuTimedGenerate:
    """The CTranslate2 model with `generate`'s CPU seconds added to `spent["generate"]`."""

    def __init__(self, inner: Any, spent: dict[str, float]) -> None:
        self._inner, self._spent = inner, spent

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._inner, name)
        return _cpu_timer(value, "generate", self._spent) if name == "generate" else value


def _cpu_timer(call: Callable[..., Any], label: str, spent: dict[str, float]) -> Callable[..., Any]:
    """`call`, adding the process's CPU seconds during each call to `spent[label]`."""

    def timed(*args: Any, **kwargs: Any) -> Any:
        started = time.process_time()
        try:
            return call(*args, **kwargs)
        finally:
            spent[label] += time.process_time() - started

    return timed


def per_chunk_child(seconds: float, chunks: int, compute_type: str, batch: int = 1) -> dict[str, float]:
    """CPU seconds per chunk of encode / generate (beam 1 and 5) / align on one single-threaded model.

    CPU time, not wall time: on a shared machine the wall time of a step says more about the other
    processes than about the step. Nothing else runs in this process meanwhile.
    """
    from faster_whisper import BatchedInferencePipeline, WhisperModel

    from convoscope.pipeline import decode
    from convoscope.pipeline.encoder_rows import encoder_rows
    from convoscope.pipeline.models.pool import ModelPool
    from convoscope.pipeline.speech_chunks import SpeechMap, chunk_bounds, speech_regions

    quiet()
    path = ModelPool(Path(__file__).resolve().parents[2] / "data" / "models").key().path
    with tempfile.TemporaryDirectory() as tmp:
        audio = decode.decode(joined(Path(tmp) / "dense.wav", seconds))
    speech = SpeechMap.of(speech_regions(audio))
    speech_joined = speech.join(audio)
    clips = [{"start": a / 16000, "end": b / 16000} for a, b in chunk_bounds(speech)[:chunks]]
    spent: dict[str, float] = defaultdict(float)
    model = WhisperModel(path, device="cpu", compute_type=compute_type, cpu_threads=1)
    model.encode = _cpu_timer(model.encode, "encode", spent)
    model.add_word_timestamps = _cpu_timer(model.add_word_timestamps, "align", spent)
    model.model = _CpuTimedGenerate(model.model, spent)
    pipeline = BatchedInferencePipeline(
        encoder_rows(model)
    )  # a batch encoded one chunk at a time, as a job does
    out: dict[str, float] = {}
    for beam in (1, 5):
        kwargs = {"language": "en", "beam_size": beam, "word_timestamps": True}
        list(pipeline.transcribe(str(DATA / "jfk.flac"), **kwargs)[0])  # warm
        spent.clear()
        started = time.process_time()
        for first in range(0, len(clips), batch):
            group = clips[first : first + batch]
            segments, _ = pipeline.transcribe(
                speech_joined, batch_size=len(group), clip_timestamps=group, **kwargs
            )
            list(segments)
        for step in ("encode", "generate", "align"):
            out[f"{step}-{beam}"] = spent[step] / len(clips)
        out[f"all-{beam}"] = (time.process_time() - started) / len(clips)
    return out


def job_cpu_child(paths: list[str], model: str, compute_type: str) -> list[tuple[float, float]]:
    """The full job on each file: (wall seconds, CPU seconds of the whole server process)."""
    import resource

    def cpu() -> float:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return usage.ru_utime + usage.ru_stime

    out = []
    with live_server(asr={"model": model, "compute_type": compute_type}) as (client, _events):
        for path in paths:
            before = cpu()
            took, _ids = client.run(Path(path))
            out.append((took, cpu() - before))
    return out


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
    parser.add_argument("--batch-size", type=int, default=1, help="chunks a batch for the per-chunk cost")
    args = parser.parse_args()
    print(f"compute_floor model={args.model} {args.compute_type} {header()}", flush=True)
    cost = in_child(per_chunk_child, 240.0, args.chunks, args.compute_type, args.batch_size)
    print(
        f"  CPU seconds per 30 s chunk, one single-threaded model, batches of {args.batch_size} ({header()}):"
    )
    for beam in (1, 5):
        print(
            f"    beam {beam}: encode {cost[f'encode-{beam}']:.3f}, generate {cost[f'generate-{beam}']:.3f},"
            f" align {cost[f'align-{beam}']:.3f}; everything {cost[f'all-{beam}']:.3f}",
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
        runs: dict[str, list[tuple[float, float]]] = defaultdict(list)
        for _ in range(args.rounds):
            results = in_child(job_cpu_child, [p for *_, p in files], args.model, args.compute_type)
            for (_, _, path), result in zip(files, results, strict=True):
                runs[path].append(result)
        print(f"  the job against the floor (median of {args.rounds} rounds; {header()}):")
        for kind, minutes, path in files:
            chunks = count_chunks(path)
            wall = statistics.median(w for w, _ in runs[path])
            cpu = statistics.median(c for _, c in runs[path])
            print(
                f"    {minutes:g} min {kind:<6} {chunks:3d} chunks: CPU floor {chunks * greedy:6.1f} s"
                f" (+ alignment {chunks * aligned:6.1f} s; beam 5 aligned {chunks * beam_cost:6.1f} s);"
                f" job CPU {cpu:6.1f} s = {cpu / (chunks * aligned):.2f}x the aligned floor;"
                f" job wall {wall:6.1f} s",
                flush=True,
            )


if __name__ == "__main__":
    main()
