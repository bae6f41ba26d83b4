"""Diarization of a whole 4.6-minute phone call whose reference comes from labelled words.

    .venv/bin/python bench/diarize/labelled_call.py --wav CALL.wav [--keep DIR]

CALL.wav is `pca-samples/src/samples/Auto0_GUID_000_AGENT_ChrisL_DT_2025-02-19T06-01-22_Mono.wav` of
aws-samples/amazon-transcribe-post-call-analytics @ 446d6342d4ce16c34600c370cd1eb07b72c6bc2f (added
in 69cdcdf41d92b1997014a868629afc497236f79a; Apache-2.0, Copyright Amazon.com, Inc. or its
affiliates; 2.2 MB, so not in this repository): a customer's call to a car dealership about an
oil light, 277.7 s, 8 kHz, 8-bit unsigned PCM, both parties on one channel. Get it with
`git -C <clone> show HEAD:<path> > CALL.wav`. It is another call than those of tests/data/calls.

No per-party channels or annotations come with it, so `TURNS` below is the reference: the word
edges of faster-whisper `base` (word timestamps, VAD filter, as `run.py clips` transcribes), each
utterance labelled agent or caller by what is said (the agent answers, names the dealership,
asks for details and gives the number; the caller describes the car). `UNSURE` holds what the
words cannot settle ("Okay." between two turns, one unclear sentence): left out of the scored
time (a UEM) and of the words. So DER here is approximate (word edges drift 0.1-0.3 s, words
Whisper drops are missing from the reference); count and word attribution are the measures to
read. Printed: length, reference and estimated count (not told), DER (collar 0.25 s, overlap
scored, outside `UNSURE`), word attribution and its ceiling as `run.py clips` scores them,
diarization time and real-time factor. `--keep DIR` writes the reference RTTM and the hypothesis.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import asr_model, der, load_path, transcribe_cached
from tests.fixtures.diarization import attribution, attribution_ceiling

NAME = "pca_auto0_2spk_8k"
A, C = "agent", "caller"
TURNS: list[tuple[float, float, str]] = [
    (0.75, 5.03, A),  # "Thank you for calling Big Jim's Auto. This is Travis."
    (6.31, 16.93, C),  # "Hello, my name is Violet King ..."
    (17.69, 24.89, A),
    (25.83, 34.25, C),  # spelling her name
    (37.43, 39.07, C),
    (39.93, 43.09, A),
    (44.95, 46.71, C),
    (48.17, 48.81, C),
    (49.71, 50.03, C),  # "2017."
    (51.49, 53.29, A),
    (56.84, 60.64, A),
    (62.24, 64.84, C),
    (65.80, 66.94, A),
    (73.47, 76.05, A),
    (78.55, 79.21, C),
    (80.91, 82.49, C),
    (83.47, 85.77, C),
    (86.77, 87.85, A),  # "An oil light."
    (98.49, 104.27, A),
    (105.67, 106.15, C),  # "Yes."
    (106.99, 119.98, A),
    (120.60, 123.62, A),
    (125.53, 130.31, C),
    (131.41, 136.33, A),
    (137.29, 141.01, A),
    (149.30, 156.84, A),
    (158.92, 164.24, A),
    (165.96, 166.84, A),
    (169.92, 175.58, A),
    (177.54, 213.54, A),  # the long explanation, up to "... before they close."
    (215.59, 217.39, C),  # "Okay. What is their number?"
    (218.95, 227.43, A),
    (233.87, 234.99, A),  # "One moment please."
    (243.16, 251.79, A),  # the number
    (255.52, 257.92, C),  # "Okay. And they can fix my car?"
    (259.04, 268.78, A),
    (269.94, 271.92, C),  # "Okay. Thank you."
    (272.00, 273.66, A),  # "Oh, no problem. Have a good one."
    (274.60, 275.38, C),  # "Thank you."
]
UNSURE: list[tuple[float, float]] = [
    (35.59, 35.71),  # "Okay."
    (229.45, 232.31),  # "Okay. Okay. You guys on the right with them?"
    (240.98, 241.16),  # "Okay."
    (268.82, 269.02),  # "Okay."
    (275.64, 276.32),  # "Yep. Bye."
]


def write_rttm(path: Path, turns: list[tuple[float, float, str]]) -> None:
    path.write_text(
        "".join(f"SPEAKER {NAME} 1 {s:.3f} {e - s:.3f} <NA> <NA> {spk} <NA> <NA>\n" for s, e, spk in turns)
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--wav", type=Path, required=True)
    parser.add_argument("--keep", type=Path)
    parser.add_argument("--model", default="base")
    args = parser.parse_args()

    from convoscope.pipeline.diarize import DiarizeSettings, assign_speakers, diarize
    from convoscope.pipeline.types import Word

    audio = load_path(args.wav)
    seconds = len(audio) / 16_000
    diarize(audio[: 30 * 16_000])  # warm-up (model load, first call)
    started = time.perf_counter()
    result = diarize(audio, settings=DiarizeSettings(threads=1))
    diar_s = time.perf_counter() - started
    hyp = [(t.start, t.end, t.speaker) for t in result.turns]
    raw, _ = transcribe_cached(asr_model(args.model, 1), NAME, audio, args.model)
    words = [Word(text, s, e) for text, s, e in raw if not any(a <= (s + e) / 2 <= b for a, b in UNSURE)]
    labelled = assign_speakers(words, result.turns)
    attrib = attribution([((w.start + w.end) / 2, w.speaker or "") for w in labelled], TURNS)
    ceiling = attribution_ceiling([(w.start + w.end) / 2 for w in words], TURNS)
    error = der(TURNS, hyp, duration=seconds, unscored=UNSURE)
    print(
        f"{NAME}: {seconds:.1f} s, ref 2, found {len(result.speakers)}, "
        f"DER {error:.3f} (approximate), attribution {attrib:.3f} "
        f"(max {ceiling:.3f}, {len(words)} words), diarization {diar_s:.2f} s, RTF {diar_s / seconds:.4f}"
    )
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        write_rttm(args.keep / f"{NAME}.rttm", TURNS)
        write_rttm(args.keep / f"{NAME}.hyp.rttm", hyp)


if __name__ == "__main__":
    main()
