"""CPU seconds of one Whisper encoder pass by window length, on one int8 thread.

    .venv/bin/python bench/perf/encoder_windows.py [--seconds 30 26 24 22 21 20.4 20 18 15 10]
        [--rounds 2] [--calls 3] [--model base] [--compute-type int8]

The encoder's input is the log-mel frames of a window (100 a second); faster-whisper pads every
chunk to 30 s, and `pipeline/encoder_window.py` gives the encoder only a batch's speech and 2 s after
it. What a window costs, and per 30 s of speech, is what chose `speech_chunks.CHUNK_SECONDS`
(figures in `bench/README.md`). CPU time, not wall time: the machine may be shared.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from perfkit import header, quiet


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--model", default="base")
    parser.add_argument("--compute-type", default="int8")
    parser.add_argument(
        "--seconds", type=float, nargs="+", default=[30, 26, 24, 22, 21, 20.4, 20, 18, 15, 10]
    )
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--calls", type=int, default=3)
    args = parser.parse_args()
    quiet()
    from common import plain_whisper

    model = plain_whisper(args.model, args.compute_type, 1)
    features = (np.random.default_rng(0).standard_normal((1, 80, 3000)) * 0.5).astype(np.float32)
    model.encode(features)  # warm
    print(f"encoder_windows model={args.model} {args.compute_type} 1 thread {header()}", flush=True)
    for rnd in range(args.rounds):
        cells = []
        for seconds in args.seconds:
            window = np.ascontiguousarray(features[..., : int(seconds * 100)])
            started = time.process_time()
            for _ in range(args.calls):
                model.encode(window)
            cpu = (time.process_time() - started) / args.calls
            cells.append(f"{seconds:g} s {cpu:.3f} ({cpu / seconds * 30:.3f} / 30 s)")
        print(f"  round {rnd + 1}: " + "  ".join(cells) + f"  ({header()})", flush=True)


if __name__ == "__main__":
    main()
