"""What a long job's worker holds after each window's trim: RSS by kind of mapping, glibc's figures,
and (under `bigalloc`) every live malloc block of 1 MiB and more with the call stack that made it.

    gcc -O2 -g -shared -fPIC -o /tmp/libbigalloc.so bench/perf/bigalloc/bigalloc.c -ldl -lpthread
    LD_PRELOAD=/tmp/libbigalloc.so .venv/bin/python bench/perf/memory_owners.py --minutes 20 \\
        --dump /tmp/owners.txt
    .venv/bin/python bench/perf/bigalloc/report.py /tmp/owners.txt

`process_media` with a `SpeakerTracker` as a worker runs it (allocators, OpenMP and torch threads
configured as `build_processors` does, settings' defaults, isolated decoding), first over a short
clip (warm-up: what is built lazily is built), then over the clips joined to `--minutes`. RSS is
sampled every 20 ms and cut at each window's `release_free_memory`; after each trim it prints the
RSS, `/proc/self/smaps` summed by kind (main heap, other anonymous, files), glibc's `mallinfo2` and
the bytes of live blocks `bigalloc` records (appended to `--dump` with their stacks, when preloaded).
`--words` writes the result's words (text, times, speaker) as JSON, to compare variants.
"""

from __future__ import annotations

import argparse
import ctypes
import json
import os
import resource
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from perfkit import DATA, header, joined, quiet, rss_now

MALLINFO2 = (
    "arena",
    "ordblks",
    "smblks",
    "hblks",
    "hblkhd",
    "usmblks",
    "fsmblks",
    "uordblks",
    "fordblks",
    "keepcost",
)


class MallInfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in MALLINFO2]


def mallinfo() -> dict[str, float]:
    libc = ctypes.CDLL("libc.so.6")
    libc.mallinfo2.restype = MallInfo2
    info = libc.mallinfo2()
    mb = 2**20
    return {
        "heaps": info.arena / mb,  # from the system, not mapped blocks (all arenas)
        "in_use": info.uordblks / mb,
        "free": info.fordblks / mb,
        "mapped": info.hblkhd / mb,  # blocks over the mmap threshold
        "mapped_n": info.hblks,
    }


def mappings(into: list[str] | None = None) -> dict[str, float]:
    """Resident MB by kind: the main heap (`[heap]`), other anonymous (arenas' heaps, mapped blocks,
    thread stacks, libraries' own mmaps), file-backed (libraries, models), and of all of it what
    transparent huge pages back (`thp`). Anonymous mappings with 1 MB and more resident are added
    to `into` as "map START END RSS_KB" lines."""
    kinds = {"heap": 0.0, "anon": 0.0, "anon_big": 0.0, "file": 0.0, "thp": 0.0}
    name = span = ""
    with open("/proc/self/smaps") as f:
        for line in f:
            head = line.split(maxsplit=5)
            if "-" in head[0] and len(head) >= 5 and not head[0].endswith(":"):
                span, name = head[0], head[5].strip() if len(head) > 5 else ""
            elif head[0] == "AnonHugePages:":
                kinds["thp"] += int(head[1]) / 1024  # transparent huge pages, all mappings
            elif head[0] == "Rss:":
                rss = int(head[1]) / 1024
                if name == "[heap]":
                    kinds["heap"] += rss
                elif name.startswith("/"):
                    kinds["file"] += rss
                else:
                    kinds["anon"] += rss
                    kinds["anon_big"] += rss if rss >= 16 else 0.0
                if into is not None and rss >= 1 and not name.startswith("/"):
                    start, end = span.split("-")
                    into.append(f"map {start} {end} {head[1]} {name}")
    return kinds


class Tracer:
    """Samples RSS; at each trim records the figures and dumps `bigalloc`'s live blocks."""

    def __init__(self, dump: str | None, stats: bool = False) -> None:
        self.stats = stats
        self.samples: list[float] = []
        self.rows: list[dict[str, Any]] = []
        self.dump = dump
        self.bigalloc: Any = None
        if dump and "bigalloc" in os.environ.get("LD_PRELOAD", ""):
            self.bigalloc = ctypes.CDLL(os.environ["LD_PRELOAD"].split()[0])
            self.bigalloc.bigalloc_dump.restype = ctypes.c_longlong
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.wait(0.02):
            self.samples.append(rss_now())

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def wrap(self, trim: Callable[[], bool], label: str) -> Callable[[], bool]:
        def traced() -> bool:
            peak = max(self.samples, default=rss_now())
            self.samples.clear()
            done = trim()
            row: dict[str, Any] = {"label": f"{label}{len(self.rows)}", "peak": peak, "rss": rss_now()}
            maps: list[str] = []
            row |= mappings(maps) | mallinfo()
            if self.bigalloc is not None and self.dump:
                name = row["label"].encode()
                row["big"] = self.bigalloc.bigalloc_dump(self.dump.encode(), name) / 2**20
                self.bigalloc.bigalloc_mark()
                with open(self.dump, "a") as f:
                    f.write("".join(m + "\n" for m in maps))
            self.rows.append(row)
            print(format_row(row), flush=True)
            if self.stats:
                sys.stderr.flush()
                ctypes.CDLL("libc.so.6").malloc_stats()  # per arena, to stderr
            return done

        return traced


def format_row(row: dict[str, Any]) -> str:
    big = f" big {row['big']:5.0f}" if "big" in row else ""
    return (
        f"  {row['label']:>8} peak {row['peak']:5.0f} rss {row['rss']:5.0f} |"
        f" [heap] {row['heap']:4.0f} anon {row['anon']:4.0f} (>=16MB maps {row['anon_big']:4.0f})"
        f" file {row['file']:4.0f} thp {row['thp']:4.0f} | malloc heaps {row['heaps']:4.0f}"
        f" in use {row['in_use']:4.0f}"
        f" free {row['free']:4.0f} mapped {row['mapped']:4.0f} ({row['mapped_n']}){big}"
    )


def run(path: Path, tracer: Tracer, label: str) -> tuple[Any, float]:
    from convoscope.config import Settings
    from convoscope.pipeline import recognize
    from convoscope.pipeline.diarize.tracker import SpeakerTracker
    from convoscope.pipeline.transcribe import TranscriptionOptions

    settings = Settings(data_dir=Path(os.environ.get("CONVOSCOPE_DATA_DIR", "data")))
    limits = recognize.MediaLimits(max_duration=3 * 3600)
    pool = _pool(settings)
    options = TranscriptionOptions(
        model=settings.asr.model,
        language="en",
        beam_size=settings.asr.beam_size,
        batched=settings.asr.batched,
        batch_size=settings.asr.batch_size,
        greedy_first=settings.asr.greedy_first,
    )
    duration = recognize.probe_media(path, limits).duration
    tracker = SpeakerTracker(
        max_speakers=settings.diarization.max_speakers,
        single_window=duration <= limits.window,
        threads=settings.diarization.threads,
    )
    trim = recognize.release_free_memory
    recognize.release_free_memory = tracer.wrap(trim, label)
    cpu = time.process_time()
    try:
        result = recognize.process_media(path, options, pool, limits=limits, assign_speakers=tracker)
    finally:
        recognize.release_free_memory = trim
    return result, time.process_time() - cpu


_POOL: list[Any] = []


def _pool(settings: Any) -> Any:
    """One model pool for the process, built as a worker builds it."""
    if not _POOL:
        from convoscope.jobs.processors import worker_pool

        _POOL.append(worker_pool(settings))
    return _POOL[0]


def words_of(result: Any) -> list[tuple[str, float, float, str | None]]:
    return [(w.text, w.start, w.end, w.speaker) for s in result.sentences for w in s.words]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--minutes", type=float, default=20.0)
    parser.add_argument("--dump", help="append bigalloc's live blocks here at each trim")
    parser.add_argument("--words", help="write the long recording's words here (JSON)")
    parser.add_argument("--stats", action="store_true", help="glibc's malloc_stats() at each trim")
    args = parser.parse_args()
    print(f"memory_owners {args.minutes:g} min pid {os.getpid()} {header()}", flush=True)
    quiet()
    tracer = Tracer(args.dump, args.stats)
    tracer.start()
    run(DATA / "jfk.flac", tracer, "warm")
    with tempfile.TemporaryDirectory() as tmp:
        path = joined(Path(tmp) / f"{args.minutes:g}min.wav", args.minutes * 60)
        result, cpu = run(path, tracer, "w")
    tracer.stop()
    words = words_of(result)
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"words {len(words)} speakers {len({w[3] for w in words})} cpu {cpu:.1f} s"
        f" ru_maxrss {maxrss:.0f} MB ({header()})",
        flush=True,
    )
    if args.words:
        Path(args.words).write_text(json.dumps(words))


if __name__ == "__main__":
    main()
