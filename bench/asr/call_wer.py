"""WER of the job's decoder on real two-party calls, against each party's own channel transcribed alone.

    .venv/bin/python bench/asr/call_wer.py --sources DIR [--fitted-up-to 0 12 30]
        [--one-window-up-to 0 20] [--second-pass-fitted-up-to 0 30] [--piece 15]
        [--batch-size 1 2] [--whole]

The excerpts in tests/data/calls are two channels summed to mono; this benchmark needs the source
recordings (one party per channel) to build its reference: `Auto_Repairs_{40,49}_UTC_{agent,caller}.wav`
from aws-samples/amazon-transcribe-live-call-analytics @ b375717
(`lca-chimevc-stack/asterisk-test-scripts/recordings/`, Apache-2.0; tests/data/calls/README.md).
Reference: each channel of each excerpt transcribed alone by plain faster-whisper (base, beam 5), the
words of both merged by start time. Hypothesis: `pipeline.transcribe` (greedy first, the one-stream
copy for a single chunk, as a job) on the
summed excerpt, once per `--fitted-up-to` value (`encoder_window.FITTED_UP_TO_SECONDS`: batches up to
that many seconds get an encoder window fitted to their speech; 0 = never) and `--one-window-up-to`
value (`one_window.ONE_WINDOW_SECONDS`: speech up to that many seconds is decoded sequentially with
timestamp tokens instead of as a batch; 0 = never, the batched decoder on every recording) and
`--second-pass-fitted-up-to` value (`encoder_window.SECOND_PASS_FITTED_UP_TO_SECONDS`: the same as
`--fitted-up-to` for second passes only, the speech a first pass dropped). Read
speech (the shared clips) does not show what a shorter window costs in words; crosstalk and short replies do.
`--piece 15` also cuts each excerpt into 15 s recordings. `--batch-size` values: chunks per batch
(`TranscriptionOptions.batch_size`; 0 = the default, `models.device.batch_size_for`); an excerpt is
two chunks, one per stream, so batches of several chunks need `--whole`: each call whole instead of
its excerpts.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import jiwer
import numpy as np
from common import models_dir, normalize, plain_whisper

SR = 16_000
# (call, start, end) of each excerpt in tests/data/calls, in seconds of the source recording.
EXCERPTS = {
    "lca_repairs40_a": ("40", 40.0, 100.0),
    "lca_repairs40_b": ("40", 195.0, 245.3),
    "lca_repairs49_a": ("49", 0.0, 60.0),
    "lca_repairs49_b": ("49", 95.0, 155.0),
    "lca_repairs49_c": ("49", 185.0, 237.5),
}


def channels(sources: Path, call: str) -> dict[str, np.ndarray]:
    from faster_whisper.audio import decode_audio

    return {
        side: np.asarray(decode_audio(str(sources / f"Auto_Repairs_{call}_UTC_{side}.wav"), sampling_rate=SR))
        for side in ("agent", "caller")
    }


def reference(model: object, parts: dict[str, np.ndarray]) -> str:
    words: list[tuple[float, str]] = []
    for audio in parts.values():
        segments, _ = model.transcribe(audio, language="en", word_timestamps=True, beam_size=5)  # type: ignore[attr-defined]
        words += [(w.start, w.word) for s in segments for w in s.words or ()]
    return normalize(" ".join(text for _, text in sorted(words)))


def pieces(excerpt: tuple[str, float, float], piece: float) -> list[tuple[float, float]]:
    _, start, end = excerpt
    if not piece:
        return [(start, end)]
    return [(t, t + piece) for t in np.arange(start, end - piece + 1e-6, piece)]


# (fitted, one window, second-pass fitted) up to, seconds; chunks per batch
Setting = tuple[float, float, float, int]


def _label(setting: Setting) -> str:
    fitted, one, second, batch = setting
    return f"fitted<={fitted:g}s one-window<={one:g}s second-pass<={second:g}s batch={batch}"


def whole_calls(sources: Path) -> dict[str, tuple[str, float, float]]:
    """Each call from start to end (the shorter channel's), as one excerpt."""
    calls = sorted({call for call, _, _ in EXCERPTS.values()})
    return {
        f"lca_repairs{call}_whole": (call, 0.0, min(len(a) for a in channels(sources, call).values()) / SR)
        for call in calls
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sources", type=Path, required=True)
    parser.add_argument("--fitted-up-to", type=float, nargs="+", default=[0.0])
    parser.add_argument("--one-window-up-to", type=float, nargs="+", default=[0.0, 20.0])
    parser.add_argument("--second-pass-fitted-up-to", type=float, nargs="+", default=[0.0])
    parser.add_argument("--piece", type=float, default=0.0, help="cut excerpts into recordings this long (s)")
    parser.add_argument("--batch-size", type=int, nargs="+", default=[0])
    parser.add_argument("--whole", action="store_true", help="each call whole instead of its excerpts")
    args = parser.parse_args()

    from convoscope.pipeline import encoder_window, one_window
    from convoscope.pipeline.models.pool import ModelPool
    from convoscope.pipeline.transcribe import TranscriptionOptions, transcribe

    plain = plain_whisper("base", threads=1)
    pool = ModelPool(models_dir())
    job_model = pool.get("base")
    one_stream = pool.one_stream("base", greedy=True)  # as a job: one chunk goes to the one-stream copy
    refs: list[str] = []
    settings = [
        (fitted, one, second, batch)
        for fitted in args.fitted_up_to
        for one in args.one_window_up_to
        for second in args.second_pass_fitted_up_to
        for batch in args.batch_size
    ]
    hyps: dict[Setting, list[str]] = {setting: [] for setting in settings}
    excerpts = whole_calls(args.sources) if args.whole else EXCERPTS
    for name, excerpt in excerpts.items():
        parts = channels(args.sources, excerpt[0])
        for lo, hi in pieces(excerpt, args.piece):
            cut = {side: audio[int(lo * SR) : int(hi * SR)] for side, audio in parts.items()}
            refs.append(reference(plain, cut))
            mixed = (cut["agent"] + cut["caller"]).astype(np.float32)
            row = []
            for setting in settings:
                encoder_window.FITTED_UP_TO_SECONDS, one_window.ONE_WINDOW_SECONDS = setting[:2]
                encoder_window.SECOND_PASS_FITTED_UP_TO_SECONDS = setting[2]
                options = TranscriptionOptions(batch_size=setting[3])
                result = transcribe(job_model, mixed, options, one_stream=one_stream)
                hyps[setting].append(normalize(" ".join(w.text for w in result.words)))
                row.append(f"{_label(setting)}: {100 * jiwer.wer(refs[-1], hyps[setting][-1]):5.1f} %")
            print(
                f"  {name} {lo:6.1f}-{hi:6.1f} s  {len(refs[-1].split()):4d} words  " + "  ".join(row),
                flush=True,
            )
    words = sum(len(r.split()) for r in refs)
    print(f"{len(refs)} recordings, {words} reference words; pooled WER by setting:")
    first = hyps[settings[0]]
    for setting, texts in hyps.items():
        changed = sum(a != b for a, b in zip(first, texts, strict=True))
        wer = 100 * jiwer.wer(refs, texts)
        print(f"  {_label(setting)}: {wer:.2f} % ({changed} recordings worded unlike the first setting)")


if __name__ == "__main__":
    sys.exit(main())
