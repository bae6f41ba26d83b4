"""Where one decoding stream's time goes per 30 s chunk: encoder, beam search, word alignment.

    .venv/bin/python bench/perf/profile_decoder.py [--seconds 240] [--chunks 8]
        [--compute-types int8 float32] [--threads 1 2] [--batch 1 2 4 8]

The speech of a `--seconds` file (clips joined with 0.3 s gaps) is found and cut into chunks as a
job does (`speech_chunks`); the first `--chunks` are decoded with `BatchedInferencePipeline` in
batches of each size, by the model loaded as one stream of T threads, for each compute type. The
model's `encode`, `generate` and `add_word_timestamps` are timed; the rest (features, tokenizer,
Python) is `other`. This is what chose `default_batch_size` and the one-thread streams.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from perfkit import DATA, header, joined, quiet


class _Timed:
    """Wraps an object; calls to the named methods add their seconds to `spent[label]`."""

    def __init__(self, inner: Any, methods: dict[str, str], spent: dict[str, float]) -> None:
        self._inner, self._methods, self._spent = inner, methods, spent

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._inner, name)
        if name not in self._methods:
            return value
        return _timer(value, self._methods[name], self._spent)


def _timer(call: Callable[..., Any], label: str, spent: dict[str, float]) -> Callable[..., Any]:
    def timed(*args: Any, **kwargs: Any) -> Any:
        started = time.monotonic()
        try:
            return call(*args, **kwargs)
        finally:
            spent[label] += time.monotonic() - started

    return timed


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=240.0)
    parser.add_argument("--chunks", type=int, default=8)
    parser.add_argument("--compute-types", nargs="+", default=["int8", "float32"])
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--batch", type=int, nargs="+", default=[1, 2, 4, 8])
    args = parser.parse_args()
    quiet()
    from faster_whisper import BatchedInferencePipeline, WhisperModel

    from convoscope.pipeline import decode
    from convoscope.pipeline.models.pool import ModelPool
    from convoscope.pipeline.speech_chunks import SpeechMap, chunk_bounds, speech_regions

    path = ModelPool(Path(__file__).resolve().parents[2] / "data" / "models").key().path
    with tempfile.TemporaryDirectory() as tmp:
        audio = decode.decode(joined(Path(tmp) / "dense.wav", args.seconds))
    speech = SpeechMap.of(speech_regions(audio))
    joined_speech = speech.join(audio)
    clips = [{"start": a / 16000, "end": b / 16000} for a, b in chunk_bounds(speech)[: args.chunks]]
    print(f"profile_decoder {len(clips)} chunks of {args.seconds:g} s dense speech {header()}", flush=True)
    kwargs = {"language": "en", "beam_size": 5, "word_timestamps": True}
    for ctype in args.compute_types:
        for threads in args.threads:
            model = WhisperModel(path, device="cpu", compute_type=ctype, cpu_threads=threads)
            spent: dict[str, float] = defaultdict(float)
            model.encode = _timer(model.encode, "encode", spent)
            model.add_word_timestamps = _timer(model.add_word_timestamps, "align", spent)
            model.model = _Timed(model.model, {"generate": "generate"}, spent)
            pipeline = BatchedInferencePipeline(model)
            list(pipeline.transcribe(str(DATA / "jfk.flac"), **kwargs)[0])  # warm
            for size in args.batch:
                spent.clear()
                started = time.monotonic()
                for first in range(0, len(clips), size):
                    part = clips[first : first + size]
                    segments, _ = pipeline.transcribe(
                        joined_speech, batch_size=size, clip_timestamps=part, **kwargs
                    )
                    list(segments)
                total = time.monotonic() - started
                per = {k: v / len(clips) for k, v in spent.items()}
                other = total / len(clips) - sum(per.values())
                print(
                    f"  {ctype:<8} {threads} thread(s) batch {size}: {total / len(clips):.2f} s a chunk"
                    f" (encode {per['encode']:.2f}, generate {per['generate']:.2f},"
                    f" align {per['align']:.2f}, other {other:.2f})",
                    flush=True,
                )


if __name__ == "__main__":
    main()
