"""Precision and recall of the personal-data finder (`convoscope.pipeline.pii`) per kind, on the
labelled exchanges of `main.jsonl` / `heldout.jsonl` (made by `dataset.py`), as text and as speech.

    .venv/bin/python bench/pii/run.py                         # text, the main set
    .venv/bin/python bench/pii/run.py --set heldout           # text, the held-out set
    .venv/bin/python bench/pii/run.py --speech --every 3      # espeak-ng speech -> Whisper base -> finder
    .venv/bin/python bench/pii/run.py --verbose               # every miss and false alarm

Text: a find counts when it has the label's kind and overlaps it by at least half of the longer of
the two (so "John" for "John Smith" is a miss: "Smith" would stay readable); every other find is a
false alarm. `masked` is the share of labelled characters that some find of any kind covers: what
redaction hides whatever the kind.

Speech: each exchange as said (digits spelled out, names as written) is synthesised with espeak-ng
(`apt-get install espeak-ng`), transcribed by the speech pipeline and searched. The transcript's
spelling is not known in advance, so finds are matched to labels by kind and value: the same digits
(in numbers of 7 digits or more, one misheard, dropped or added digit in five allowed: the find still
masks the number said), e-mail and codes within two edits, names and addresses sharing most of their
words, dates as the same day.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from convoscope.pipeline.nlp import default_models
from convoscope.pipeline.pii import PiiKind, PiiSpan, find_pii, mask

HERE = Path(__file__).resolve().parent
KINDS = [kind.value for kind in PiiKind]


def load(name: str) -> list[dict[str, Any]]:
    with (HERE / f"{name}.jsonl").open(encoding="utf-8") as source:
        return [json.loads(line) for line in source if line.strip()]


class Tally:
    def __init__(self) -> None:
        self.tp: Counter[str] = Counter()
        self.fp: Counter[str] = Counter()
        self.fn: Counter[str] = Counter()
        self.chars: Counter[str] = Counter()
        self.masked: Counter[str] = Counter()
        self.notes: list[str] = []

    def table(self) -> str:
        rows = [
            "| kind | labels | found | false alarms | precision | recall | masked |",
            "|---|---:|---:|---:|---:|---:|---:|",
        ]
        for kind in KINDS:
            tp, fp, fn = self.tp[kind], self.fp[kind], self.fn[kind]
            if not (tp or fp or fn):
                continue
            precision = tp / (tp + fp) if tp + fp else 1.0
            recall = tp / (tp + fn) if tp + fn else 1.0
            masked = f"{self.masked[kind] / self.chars[kind]:.3f}" if self.chars[kind] else "-"
            rows.append(f"| {kind} | {tp + fn} | {tp} | {fp} | {precision:.3f} | {recall:.3f} | {masked} |")
        tp, fp, fn = sum(self.tp.values()), sum(self.fp.values()), sum(self.fn.values())
        chars = sum(self.chars.values())
        masked = f"{sum(self.masked.values()) / chars:.3f}" if chars else "-"
        precision, recall = tp / max(1, tp + fp), tp / max(1, tp + fn)
        rows.append(f"| all | {tp + fn} | {tp} | {fp} | {precision:.3f} | {recall:.3f} | {masked} |")
        return "\n".join(rows)


def score_text(items: list[dict[str, Any]], verbose: bool) -> Tally:
    tally = Tally()
    models = default_models()
    for item in items:
        found = find_pii(item["messages"], models=models)
        for index, text in enumerate(item["messages"]):
            labels = [label for label in item["labels"] if label["message"] == index]
            spans = list(found[index])
            for label in labels:
                covered = sum(
                    1
                    for i in range(label["start"], label["end"])
                    if not text[i].isspace() and any(s.start <= i < s.end for s in spans)
                )
                tally.chars[label["kind"]] += sum(1 for c in label["text"] if not c.isspace())
                tally.masked[label["kind"]] += covered
                match = next(
                    (s for s in spans if s.kind.value == label["kind"] and _overlaps(s, label)), None
                )
                if match is None:
                    tally.fn[label["kind"]] += 1
                    finds = [(s.kind.value, text[s.start : s.end]) for s in spans]
                    tally.notes.append(f"MISS {label['kind']}: {label['text']!r} in {text!r} -> {finds}")
                else:
                    tally.tp[label["kind"]] += 1
                    spans.remove(match)
            for span in spans:
                tally.fp[span.kind.value] += 1
                tally.notes.append(f"FALSE {span.kind.value}: {text[span.start : span.end]!r} in {text!r}")
    if verbose:
        print("\n".join(tally.notes))
    return tally


def _overlaps(span: PiiSpan, label: dict[str, Any]) -> bool:
    overlap = min(span.end, label["end"]) - max(span.start, label["start"])
    return overlap >= 0.5 * max(span.end - span.start, label["end"] - label["start"])


# --- speech ----------------------------------------------------------------------------------------


def synthesise(item: dict[str, Any], target: Path, espeak: str) -> Path:
    ssml = "<speak>" + '<break time="700ms"/>'.join(_xml(line) for line in item["said"]) + "</speak>"
    subprocess.run(
        [espeak, "-v", "en-us", "-s", "155", "-m", "-w", str(target), ssml], check=True, capture_output=True
    )
    return target


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def score_speech(items: list[dict[str, Any]], model: str, verbose: bool) -> tuple[Tally, float, float]:
    from convoscope.pipeline.models.pool import ModelPool
    from convoscope.pipeline.recognize import process_media
    from convoscope.pipeline.transcribe import TranscriptionOptions

    espeak = shutil.which("espeak-ng")
    if espeak is None:
        sys.exit("espeak-ng is not installed: apt-get install -y espeak-ng")
    tally, models = Tally(), default_models()
    audio_seconds = asr_seconds = 0.0
    with tempfile.TemporaryDirectory() as scratch:
        pool = ModelPool(Path(os.environ.get("CONVOSCOPE_DATA_DIR", Path(scratch) / "models")))
        options = TranscriptionOptions(model=model, language="en")
        for item in items:
            wav = synthesise(item, Path(scratch) / f"{item['id']}.wav", espeak)
            started = time.perf_counter()
            result = process_media(wav, options, pool)
            asr_seconds += time.perf_counter() - started
            audio_seconds += result.duration
            texts = [sentence.text for sentence in result.sentences]
            per_text = find_pii(texts, models=models)
            found = [span for spans in per_text for span in spans]
            left = " ".join(mask(text, spans, " ")[0] for text, spans in zip(texts, per_text, strict=True))
            for label in item["labels"]:
                tally.chars[label["kind"]] += 1
                tally.masked[label["kind"]] += 0 if _leaks(label, left) else 1
            remaining = list(found)
            for label in item["labels"]:
                match = next(
                    (s for s in remaining if s.kind.value == label["kind"] and _same_value(label, s)), None
                )
                if match is None:
                    tally.fn[label["kind"]] += 1
                    finds = [(s.kind.value, s.value) for s in found]
                    tally.notes.append(f"MISS {label['kind']}: {label['value']!r} in {texts} -> {finds}")
                else:
                    tally.tp[label["kind"]] += 1
                    remaining.remove(match)
            for span in remaining:
                tally.fp[span.kind.value] += 1
                tally.notes.append(f"FALSE {span.kind.value}: {span.value!r} in {texts}")
    if verbose:
        print("\n".join(tally.notes))
    return tally, audio_seconds, asr_seconds


def _leaks(label: dict[str, Any], transcript: str) -> bool:
    """Does the masked transcript still say the label's value: four of its digits in a row, or one
    of its words (three letters or more)?"""
    gold = str(label["value"])
    digits = _digits(gold)
    said_digits = _digits(transcript)
    if len(digits) >= 4 and any(digits[i : i + 4] in said_digits for i in range(len(digits) - 3)):
        return True
    if label["kind"] in ("date", "date_of_birth", "card_expiry", "age") or digits == gold:
        return bool(digits) and len(digits) < 4 and re.search(rf"\b{digits}\b", transcript) is not None
    words = {w for w in re.findall(r"[a-z]+", gold.lower()) if len(w) >= 3} - {"com", "org", "net", "www"}
    return any(re.search(rf"\b{w}\b", transcript.lower()) for w in words)


def _same_value(label: dict[str, Any], span: PiiSpan) -> bool:
    kind, gold, found = label["kind"], str(label["value"]), span.value
    if kind in ("person_name", "address"):
        gold_words, found_words = _words(gold), _words(found)
        return len(gold_words & found_words) >= 0.5 * len(gold_words)
    if kind in ("date", "date_of_birth", "card_expiry"):
        return gold.lower() == found.lower() or _digits(gold) == _digits(found) != ""
    if kind in ("email", "domain_name", "iban", "swift", "passport_number", "drivers_license"):
        return _edits(gold.lower(), found.lower().replace(" ", "")) <= 2
    gold_digits, found_digits = _digits(gold), _digits(found)
    if len(gold_digits) < 7:
        return gold_digits == found_digits
    return _edits(gold_digits, found_digits) <= max(1, len(gold_digits) // 5)


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z0-9]+", text.lower()))


def _digits(text: str) -> str:
    return "".join(c for c in text if c.isdigit())


def _edits(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i]
        for j, char_b in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b)))
        previous = current
    return previous[-1]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--set", default="main", choices=["main", "heldout", "heldout2"])
    parser.add_argument("--speech", action="store_true", help="synthesise with espeak-ng and transcribe")
    parser.add_argument("--model", default="base", help="speech model for --speech (base, tiny.en, a path)")
    parser.add_argument("--limit", type=int, default=0, help="only the first N exchanges")
    parser.add_argument(
        "--every", type=int, default=1, help="only every Nth exchange (a sample of each template)"
    )
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    items = load(args.set)[:: args.every][: args.limit or None]
    print(f"set={args.set} exchanges={len(items)} cpu_count={os.cpu_count()} load={os.getloadavg()[0]:.2f}")
    started = time.perf_counter()
    if args.speech:
        tally, audio, asr = score_speech(items, args.model, args.verbose)
        print(f"speech: model={args.model} audio={audio:.0f}s asr={asr:.0f}s")
    else:
        tally = score_text(items, args.verbose)
    print(tally.table())
    print(f"seconds={time.perf_counter() - started:.1f} load={os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
