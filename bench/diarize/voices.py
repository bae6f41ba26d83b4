"""The voice library on real recordings: are enrolled people named in other recordings, and nobody else?

    .venv/bin/python bench/diarize/voices.py [--enroll member sample] [--thresholds 0.6 0.65 0.7 0.75]

The reference clips hold the same people more than once: AMI speakers keep their corpus ids across
excerpts (MEE009 and MEE012 talk in dev00 and dev01, FEE083 in trn06 and trn09) and the three
excerpts of call 49 (two of call 40) hold the same agent and caller. For every clip as the target,
each person is enrolled from the first *other* clip they talk in (never from the same excerpt at
another sample rate), so the library holds the target's people when they were recorded elsewhere
and everyone else from every other clip as impostors (27 voices in all, as an app's library would).

Enrollment, as a user does it:
- `member`: the voiceprint of the diarized speaker of the enrolling clip who says most of that
  person's reference speech (`POST /v1/voices` from a conversation member);
- `sample`: the person's own reference turns of the enrolling clip, where nobody else talks, cut out
  and enrolled as an uploaded sample (`enroll.sample_voiceprints`: its voiceprint, and its
  telephone-band copy's unless `--no-phone`).

Each diarized speaker of the target is the reference person it shares most time with, and is then
either named right, named wrongly (another person's name: the error the library must avoid), or
left "Speaker N". Printed per clip and in total, at the library's own threshold and margin
(`enroll.LIBRARY_THRESHOLD`, `LIBRARY_MARGIN`) and at the `--thresholds` given.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "perf"))
from perfkit import quiet
from run import SAMPLE_RATE, clip_paths, load_path, read_rttm

Turn = tuple[float, float, str]


def person_ids(clip: str, turns: Sequence[Turn]) -> list[Turn]:
    """Reference turns with ids that name one person across clips (a call's roles are per call)."""
    call = re.match(r"lca_repairs(\d+)_", clip)
    if call is None:
        return list(turns)
    return [(s, e, f"call{call.group(1)}-{who}") for s, e, who in turns]


def excerpt(clip: str) -> str:
    """Clips cut from the same stretch of a recording (dev00 and its 8 kHz copy) share this."""
    return clip.removesuffix("_8k")


def overlap(a: tuple[float, float], b: tuple[float, float]) -> float:
    return max(0.0, min(a[1], b[1]) - max(a[0], b[0]))


def dominant_person(label: str, hypothesis: Sequence[Turn], reference: Sequence[Turn]) -> str | None:
    """The reference person sharing most time with diarized speaker `label`."""
    shared: Counter[str] = Counter()
    for s, e, spk in hypothesis:
        if spk == label:
            for rs, re_, person in reference:
                shared[person] += overlap((s, e), (rs, re_))
    best = shared.most_common(1)
    return best[0][0] if best and best[0][1] > 0 else None


def member_voiceprint(
    person: str, hypothesis: Sequence[Turn], reference: Sequence[Turn], prints: dict[str, tuple[float, ...]]
) -> tuple[float, ...] | None:
    """The voiceprint of the diarized speaker who says most of `person`'s reference speech, when that
    speaker is mostly `person` (a user enrolls the member they recognise, not a mix of people)."""
    said: Counter[str] = Counter()
    for s, e, label in hypothesis:
        for rs, re_, who in reference:
            if who == person:
                said[label] += overlap((s, e), (rs, re_))
    best = [
        label
        for label, seconds in said.most_common()
        if seconds > 0 and label in prints and dominant_person(label, hypothesis, reference) == person
    ]
    return prints[best[0]] if best else None


def solo_audio(audio: np.ndarray, reference: Sequence[Turn], person: str) -> np.ndarray:
    """The person's reference speech where no other person talks, joined."""
    pieces = []
    for s, e, who in reference:
        if who != person:
            continue
        cuts = sorted((max(s, rs), min(e, re_)) for rs, re_, other in reference if other != person)
        start = s
        for cs, ce in cuts:
            if ce <= start or cs >= e:
                continue
            if cs > start:
                pieces.append((start, cs))
            start = max(start, ce)
        if start < e:
            pieces.append((start, e))
    parts = [audio[int(a * SAMPLE_RATE) : int(b * SAMPLE_RATE)] for a, b in pieces if b - a > 0.2]
    return np.concatenate(parts) if parts else np.zeros(0, dtype=np.float32)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--enroll", nargs="+", choices=("member", "sample"), default=["member", "sample"])
    parser.add_argument("--thresholds", nargs="+", type=float, default=[0.6, 0.65, 0.7, 0.75, 0.8])
    parser.add_argument(
        "--no-phone", action="store_true", help="samples without their telephone-band voiceprint"
    )
    args = parser.parse_args()
    quiet()

    from convoscope.pipeline.diarize import diarize
    from convoscope.pipeline.diarize.enroll import (
        LIBRARY_MARGIN,
        LIBRARY_THRESHOLD,
        SampleError,
        name_speakers,
        sample_voiceprints,
    )

    clips = [(name, path, rttm) for name, path, rttm in clip_paths(()) if rttm is not None]
    audio, reference, hypothesis, prints = {}, {}, {}, {}
    for name, path, rttm in clips:
        audio[name] = load_path(path)
        reference[name] = person_ids(name, read_rttm(rttm))
        result = diarize(audio[name])
        hypothesis[name] = [(t.start, t.end, t.speaker) for t in result.turns]
        prints[name] = result.voiceprints
        print(f"diarized {name}: {len(result.speakers)} speakers", flush=True)

    def enrolled(mode: str, name: str, person: str) -> list[tuple[float, ...]]:
        if mode == "sample":
            try:
                sample = sample_voiceprints(solo_audio(audio[name], reference[name], person))
            except SampleError:
                return []
            phone = [sample.phone_voiceprint] if sample.phone_voiceprint and not args.no_phone else []
            return [sample.voiceprint, *phone]
        member = member_voiceprint(person, hypothesis[name], reference[name], prints[name])
        return [member] if member else []

    for mode in args.enroll:
        # each person enrolled once per source clip; the library of a target leaves its excerpt out
        voices: dict[tuple[str, str], list[tuple[float, ...]]] = {}
        for name, _, _ in clips:
            for person in dict.fromkeys(p for _, _, p in reference[name]):
                if found := enrolled(mode, name, person):
                    voices[(name, person)] = found
        print(f"\n== enrolled as {mode}: {len(voices)} (clip, person) voiceprints")
        thresholds = sorted({*args.thresholds, LIBRARY_THRESHOLD})
        totals = {t: Counter[str]() for t in thresholds}
        same: list[float] = []  # a speaker against their own enrolled voice
        other: list[float] = []  # a speaker against the closest voice of someone else
        for name, _, _ in clips:
            library: dict[str, list[tuple[float, ...]]] = {}
            for (source, person), vp in voices.items():
                if excerpt(source) != excerpt(name) and person not in library:
                    library[person] = vp
            for label, vp in prints[name].items():
                truth = dominant_person(label, hypothesis[name], reference[name])
                sims = {person: max(float(np.dot(vp, v)) for v in vs) for person, vs in library.items()}
                if truth in sims:
                    same.append(sims.pop(truth))
                closest = max(sims, key=lambda person: sims[person])
                other.append(sims[closest])
                if sims[closest] >= 0.6:
                    print(f"  close: {name} {label} ({truth}) is {sims[closest]:.2f} like {closest}")
            row = []
            for t in thresholds:
                named = name_speakers(prints[name], library, threshold=t, margin=LIBRARY_MARGIN)
                outcome = Counter[str]()
                for label in prints[name]:
                    truth = dominant_person(label, hypothesis[name], reference[name])
                    given = named.get(label)
                    if truth in library:
                        outcome["right" if given == truth else "wrong" if given else "unnamed"] += 1
                    else:
                        outcome["false" if given else "rejected"] += 1
                totals[t].update(outcome)
                if t == LIBRARY_THRESHOLD:
                    row = [f"{k}={v}" for k, v in sorted(outcome.items())]
            print(f"{name:28s} library={len(library):2d}  " + " ".join(row))
        print(
            "\nspeakers of an enrolled person: right / wrong name / unnamed; "
            f"of anyone else: false name / rejected (margin {LIBRARY_MARGIN})"
        )
        print(
            f"cosine to their own voice {min(same):.2f}-{max(same):.2f} (median {np.median(same):.2f}), "
            f"to the closest other voice at most {max(other):.2f} (median {np.median(other):.2f})"
        )
        for t in thresholds:
            c = totals[t]
            mark = "  <- the library's threshold" if t == LIBRARY_THRESHOLD else ""
            print(
                f"threshold {t:.2f}: enrolled {c['right']} / {c['wrong']} / {c['unnamed']}; "
                f"others {c['false']} / {c['rejected']}{mark}"
            )


if __name__ == "__main__":
    main()
