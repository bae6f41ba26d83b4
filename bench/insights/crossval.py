"""Five-fold cross-validation of the utterance classifier, by conversation (train, dev, older sets).

    .venv/bin/python bench/insights/crossval.py             # F1 of each kind, the model of the weights,
                                                            # read with their temperature and offset
    .venv/bin/python bench/insights/crossval.py --errors    # also every sentence read wrongly
    .venv/bin/python bench/insights/crossval.py --sets \
        train,main,heldout,heldout2,dev,test2,test3,test4,test5,test6,test7,test8   # all but the blind ones

Each conversation of `train`, `dev` and the older sets falls in one of five folds; each fold is read
by a model fitted on the other four and the single sentences (always in training), with the same
settings as the shipped weights (`train.candidates`) and its prefilter, then judged as the engine
judges (sentence by sentence: the readings `turns` takes from the turn before are not applied).
`--sets` folds other sets too (every set but the blind `test`, which is never read here).
"""

from __future__ import annotations

import argparse
import zlib

import numpy as np
from corpus import load_all, set_paths
from train import LABEL_CLASS, candidates, figures, fit_prefilter, prefilter_keeps, standardise

from convoscope.pipeline.insights import InsightOptions
from convoscope.pipeline.insights.classifier import WEIGHTS, Reading, load_model
from convoscope.pipeline.insights.features import feature_rows, met_in_the_call, read_facts
from convoscope.pipeline.insights.parsed import parse_conversation
from convoscope.pipeline.insights.utterances import judge
from convoscope.pipeline.nlp import default_models

FOLDS = 5
CLASS_NAMES = ("none", "question", "action_item", "follow_up")


def _fold(name: str) -> int:
    """A conversation's fold, from its name alone (adding one moves no other)."""
    return zlib.crc32(name.encode()) % FOLDS


def blocks(names: str) -> list[tuple[str, np.ndarray, np.ndarray, list]]:
    """(name, features, classes, (facts, met in the call)) of each conversation's candidates."""
    models = default_models()
    found = []
    for conversation in [c for path in set_paths(names) for c in load_all(path)]:
        parsed = parse_conversation(conversation.transcript, models)
        facts = read_facts(parsed, InsightOptions())
        chosen = [i for i, fact in enumerate(facts) if fact.is_candidate]
        classes = [LABEL_CLASS[conversation.labels[facts[i].sentence.message.id]["kind"]] for i in chosen]
        kept = [(facts[i], met_in_the_call(facts, i)) for i in chosen]
        found.append((conversation.path.stem, feature_rows(parsed, facts, chosen), np.array(classes), kept))
    return found


def offset_none(probabilities: np.ndarray, temperature: float, offset: float) -> np.ndarray:
    """The probabilities as the engine reads them with `temperature` and a 'none' logit offset."""
    logits = np.log(np.clip(probabilities, 1e-9, 1.0)) / temperature
    logits[:, 0] += offset
    logits -= logits.max(axis=1, keepdims=True)
    exp = np.exp(logits)
    return np.asarray(exp / exp.sum(axis=1, keepdims=True))


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--errors", action="store_true")
    parser.add_argument("--model", help="a name from train.candidates (default: the shipped weights')")
    parser.add_argument(
        "--sets",
        default="train,main,heldout,heldout2,dev",
        help="the conversations to fold (every set may be added but the blind test)",
    )
    parser.add_argument(
        "--none-offsets",
        help="comma-separated offsets of the 'none' logit to compare (after the shipped temperature)",
    )
    arguments = parser.parse_args()
    import json

    import torch

    torch.set_num_threads(1)
    name = arguments.model or json.loads(str(np.load(WEIGHTS)["info"]))["model"]
    sentences = blocks("sentences")
    if "test" in arguments.sets.split(","):
        raise SystemExit("the blind test split is never read here")
    conversations = blocks(arguments.sets)
    truth, probabilities, facts = [], [], []
    for fold in range(FOLDS):
        held = [b for b in conversations if _fold(b[0]) == fold]
        fitted = [b for b in conversations if _fold(b[0]) != fold] + sentences
        train_x = np.vstack([b[1] for b in fitted])
        train_y = np.concatenate([b[2] for b in fitted])
        _, model, weight = next(c for c in candidates() if c[0] == name)
        mean, scale = standardise(train_x, weight)
        model.fit((train_x - mean) / scale, train_y)  # type: ignore[attr-defined]
        test_x = np.vstack([b[1] for b in held])
        found = model.predict_proba((test_x - mean) / scale)  # type: ignore[attr-defined]
        found[~prefilter_keeps(fit_prefilter(train_x, train_y), test_x)] = [1.0, 0.0, 0.0, 0.0]
        truth.append(np.concatenate([b[2] for b in held]))
        probabilities.append(found)
        facts += [(b[0], f) for b in held for f in b[3]]
    gold, raw = np.concatenate(truth), np.vstack(probabilities)
    shipped = load_model()  # checked against its SHA-256, as the engine loads it
    temperature, none_offset = shipped.temperature, shipped.none_offset
    # Read as the engine reads: the shipped weights' temperature and 'none' offset, then raw as well.
    read = offset_none(raw, temperature, none_offset)
    for label, values in (
        (f"temperature {temperature:.2f}, none offset {none_offset:+.2f}", read),
        ("raw", raw),
    ):
        print(
            f"{name}, {FOLDS} folds, {len(conversations)} conversations, {label}: "
            + "  ".join(f"{k} {v:.3f}" for k, v in figures(gold, values, [f for _, f in facts]).items())
        )
    for offset in [float(o) for o in (arguments.none_offsets or "").split(",") if o]:
        shifted = offset_none(raw, temperature, offset)
        print(
            f"  none offset {offset:+.2f}: "
            + "  ".join(f"{k} {v:.3f}" for k, v in figures(gold, shifted, [f for _, f in facts]).items())
        )
    if arguments.errors:
        for (stem, (fact, met)), row, label in zip(facts, read, gold, strict=True):
            reading = judge(fact, Reading(float(row[1]), float(row[2] + row[3]), float(row[3])), met)
            if reading.kind != CLASS_NAMES[label]:
                print(
                    f"  {CLASS_NAMES[label]:>11} read {reading.kind:<11} {stem}: {fact.sentence.text.strip()}"
                )


if __name__ == "__main__":
    main()
