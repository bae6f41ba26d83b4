"""Train the utterance classifier (questions, action items, follow-ups) and write its weights.

    .venv/bin/python bench/insights/train.py                 # choose on dev, write the weights
    .venv/bin/python bench/insights/train.py --dry-run       # only print the dev figures

The rows are the candidate sentences (`features.SentenceFacts.is_candidate`) of the training sets
(`corpus.TRAINING_SETS`: the `train` split, the older `main`, `heldout`, `heldout2` sets and the
single `sentences`), with
the features the engine computes (`features.feature_rows`) and the label of their message. A few
models (logistic regressions and one-hidden-layer networks, scikit-learn) are fitted and compared
on the candidates of the `dev` split; the best by the mean F1 of the three kinds is refitted on
train + dev (train only with `--without-dev`) with the same settings (its temperature calibrated
on dev) and written to `src/convoscope/pipeline/insights/weights/`
(numpy arrays, with the SHA-256 beside it, and how it was made in `info`). The `test` split is
never read here.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time

import numpy as np
from corpus import TRAINING_SETS, load_all, set_paths
from sklearn.linear_model import LogisticRegression
from sklearn.neural_network import MLPClassifier

from convoscope.pipeline.insights import InsightOptions
from convoscope.pipeline.insights.classifier import CLASSES, WEIGHTS, Reading
from convoscope.pipeline.insights.features import (
    FEATURE_NAMES,
    SentenceFacts,
    feature_rows,
    met_in_the_call,
    read_facts,
)
from convoscope.pipeline.insights.parsed import parse_conversation
from convoscope.pipeline.insights.utterances import judge
from convoscope.pipeline.nlp import default_models

LABEL_CLASS = {"none": 0, "question": 1, "action_item": 2, "follow_up": 3}
SEED = 7


def rows_of(names: str) -> tuple[np.ndarray, np.ndarray, list[tuple[SentenceFacts, bool]], int]:
    """(features, classes, facts) of the candidate sentences, and how many labelled insights are not."""
    models = default_models()
    blocks, classes, kept, missed = [], [], [], 0
    for conversation in [c for path in set_paths(names) for c in load_all(path)]:
        parsed = parse_conversation(conversation.transcript, models)
        facts = read_facts(parsed, InsightOptions())
        candidates = [i for i, fact in enumerate(facts) if fact.is_candidate]
        for i, fact in enumerate(facts):
            kind = conversation.labels[fact.sentence.message.id]["kind"]
            missed += kind != "none" and i not in candidates
        blocks.append(feature_rows(parsed, facts, candidates))
        classes += [
            LABEL_CLASS[conversation.labels[facts[i].sentence.message.id]["kind"]] for i in candidates
        ]
        kept += [(facts[i], met_in_the_call(facts, i)) for i in candidates]
    return np.vstack(blocks), np.array(classes), kept, missed


def figures(
    truth: np.ndarray, probabilities: np.ndarray, facts: list[tuple[SentenceFacts, bool]]
) -> dict[str, float]:
    """F1 of questions, action items and follow-ups, judged as the engine judges them."""
    kinds = []
    for row, (fact, met) in zip(probabilities, facts, strict=True):
        classified = Reading(question=float(row[1]), action=float(row[2] + row[3]), follow_up=float(row[3]))
        reading = judge(fact, classified, met)
        kinds.append({"none": 0, "question": 1, "action_item": 2, "follow_up": 3}[reading.kind])
    kind = np.array(kinds)
    result = {}
    for name, predicted, gold in (
        ("question", kind == 1, truth == 1),
        ("action_item", kind >= 2, truth >= 2),
        ("follow_up", kind == 3, truth == 3),
    ):
        tp = float((predicted & gold).sum())
        precision, recall = tp / max(predicted.sum(), 1), tp / max(gold.sum(), 1)
        result[name] = 2 * precision * recall / max(precision + recall, 1e-9)
    return result


def candidates() -> list[tuple[str, object, float]]:
    """(name, model, weight of the handmade features against the embedding)."""
    found: list[tuple[str, object, float]] = []
    for weight in (1.0, 3.0):
        for c in (0.03, 0.1, 0.3):
            model = LogisticRegression(C=c, max_iter=4000, class_weight="balanced")
            found.append((f"logistic C={c} w={weight}", model, weight))
        for alpha in (0.3, 1.0, 3.0):
            model = MLPClassifier(hidden_layer_sizes=(64,), alpha=alpha, max_iter=600, random_state=SEED)
            found.append((f"network 64 alpha={alpha} w={weight}", model, weight))
    return found


def standardise(rows: np.ndarray, weight: float) -> tuple[np.ndarray, np.ndarray]:
    """Mean and scale of each column; the handmade columns' scale shrunk by `weight` (weighs them up)."""
    mean, scale = rows.mean(axis=0), rows.std(axis=0) + 1e-3
    scale[: len(FEATURE_NAMES)] /= weight
    return mean, scale


def fit_prefilter(rows: np.ndarray, classes: np.ndarray) -> dict[str, np.ndarray]:
    """A logistic regression over the handmade features: insight or not. Its threshold keeps
    99.7% of the insights of `rows` (it only spares the embedding of sentences that are plainly none)."""
    handmade = rows[:, : len(FEATURE_NAMES)]
    mean, scale = handmade.mean(axis=0), handmade.std(axis=0) + 1e-3
    model = LogisticRegression(C=1.0, max_iter=4000).fit((handmade - mean) / scale, classes > 0)
    chance = model.predict_proba((handmade - mean) / scale)[:, 1]
    threshold = float(np.quantile(chance[classes > 0], 0.003))
    return {
        "prefilter_mean": mean.astype(np.float32),
        "prefilter_scale": scale.astype(np.float32),
        "prefilter_weights": model.coef_[0].astype(np.float32),
        "prefilter_bias": np.array(model.intercept_[0], dtype=np.float32),
        "prefilter_threshold": np.array(threshold, dtype=np.float32),
    }


def prefilter_keeps(prefilter: dict[str, np.ndarray], rows: np.ndarray) -> np.ndarray:
    handmade = rows[:, : len(FEATURE_NAMES)]
    logits = ((handmade - prefilter["prefilter_mean"]) / prefilter["prefilter_scale"]) @ prefilter[
        "prefilter_weights"
    ] + prefilter["prefilter_bias"]
    return np.asarray(1 / (1 + np.exp(-logits)) >= prefilter["prefilter_threshold"])


def temperature_of(model: object, rows: np.ndarray, classes: np.ndarray) -> float:
    """The temperature that makes the probabilities on held-out rows most likely (calibration):
    without it a model trained to separate clear cases says 0.999 for nearly everything, and a
    confidence threshold has nothing to choose between."""
    logits = np.log(np.clip(model.predict_proba(rows), 1e-9, 1.0))  # type: ignore[attr-defined]
    best, best_loss = 1.0, float("inf")
    for temperature in np.arange(1.0, 12.01, 0.25):
        scaled = logits / temperature
        scaled -= scaled.max(axis=1, keepdims=True)
        log_probabilities = scaled - np.log(np.exp(scaled).sum(axis=1, keepdims=True))
        loss = -float(log_probabilities[np.arange(len(classes)), classes].mean())
        if loss < best_loss:
            best, best_loss = float(temperature), loss
    return best


def layers_of(model: object) -> list[tuple[np.ndarray, np.ndarray]]:
    if isinstance(model, LogisticRegression):
        return [(model.coef_.T.astype(np.float32), model.intercept_.astype(np.float32))]
    assert isinstance(model, MLPClassifier)
    return [
        (w.astype(np.float32), b.astype(np.float32))
        for w, b in zip(model.coefs_, model.intercepts_, strict=True)
    ]


def write(
    model: object,
    mean: np.ndarray,
    scale: np.ndarray,
    prefilter: dict[str, np.ndarray],
    info: dict[str, object],
) -> None:
    layers = layers_of(model)
    arrays: dict[str, np.ndarray] = {
        **prefilter,
        "feature_names": np.array(FEATURE_NAMES),
        "classes": np.array(CLASSES),
        "mean": mean.astype(np.float32),
        "scale": scale.astype(np.float32),
        "layer_count": np.array(len(layers)),
        "info": np.array(json.dumps(info, indent=1)),
    }
    for i, (weights, bias) in enumerate(layers):
        arrays[f"weights_{i}"], arrays[f"bias_{i}"] = weights, bias
    WEIGHTS.parent.mkdir(parents=True, exist_ok=True)
    with WEIGHTS.open("wb") as out:
        np.savez_compressed(out, **arrays)
    digest = hashlib.sha256(WEIGHTS.read_bytes()).hexdigest()
    WEIGHTS.with_name(WEIGHTS.name + ".sha256").write_text(f"{digest}  {WEIGHTS.name}\n")
    print(f"wrote {WEIGHTS} ({WEIGHTS.stat().st_size // 1024} KiB, sha256 {digest[:16]}...)")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--dry-run", action="store_true", help="compare the models on dev, write nothing")
    parser.add_argument(
        "--without-dev",
        action="store_true",
        help="fit the written model on the training sets only (to look at dev figures while developing)",
    )
    parser.add_argument(
        "--model",
        help="write this model of `candidates` (chosen elsewhere, e.g. by crossval.py) instead of dev's best",
    )
    parser.add_argument(
        "--none-offset",
        type=float,
        default=0.0,
        help="added to the 'none' logit after the temperature (chosen by crossval.py --none-offsets)",
    )
    arguments = parser.parse_args()
    import torch

    torch.set_num_threads(1)
    started = time.perf_counter()
    train_x, train_y, _, train_missed = rows_of(",".join(TRAINING_SETS))
    dev_x, dev_y, dev_facts, dev_missed = rows_of("dev")
    print(f"train: {len(train_y)} candidate sentences ({train_missed} labelled insights not candidates)")
    print(f"dev: {len(dev_y)} candidate sentences ({dev_missed} labelled insights not candidates)")
    best: tuple[float, str, object] | None = None
    averages: dict[str, float] = {}
    for name, model, weight in candidates():
        if arguments.model and name != arguments.model:
            continue  # chosen elsewhere: only its dev figures are printed
        mean, scale = standardise(train_x, weight)
        model.fit((train_x - mean) / scale, train_y)  # type: ignore[attr-defined]
        scores = figures(dev_y, model.predict_proba((dev_x - mean) / scale), dev_facts)  # type: ignore[attr-defined]
        average = sum(scores.values()) / 3
        print(
            f"  {name:<26} " + "  ".join(f"{k} {v:.3f}" for k, v in scores.items()) + f"  mean {average:.3f}"
        )
        averages[name] = average
        if best is None or average > best[0]:
            best = (average, name, model)
    assert best is not None
    print(f"best on dev: {best[1]} (mean F1 {best[0]:.3f}); {time.perf_counter() - started:.0f} s")
    chosen_on = "dev"
    if arguments.model:
        best = (averages[arguments.model], arguments.model, None)
        chosen_on = "five-fold cross-validation (crossval.py), named with --model"
    _, model, weight = next(c for c in candidates() if c[0] == best[1])
    mean, scale = standardise(train_x, weight)
    model.fit((train_x - mean) / scale, train_y)  # type: ignore[attr-defined]
    temperature = temperature_of(model, (dev_x - mean) / scale, dev_y)
    print(f"calibration on dev: temperature {temperature:.2f}")
    prefilter = fit_prefilter(train_x, train_y)
    kept = prefilter_keeps(prefilter, dev_x)
    probabilities = model.predict_proba((dev_x - mean) / scale)  # type: ignore[attr-defined]
    probabilities[~kept] = [1.0, 0.0, 0.0, 0.0]
    scores = figures(dev_y, probabilities, dev_facts)
    print(
        f"with the prefilter: {1 - kept.mean():.0%} of dev candidates not embedded, "
        f"{int(((dev_y > 0) & ~kept).sum())} insights among them; "
        + "  ".join(f"{k} {v:.3f}" for k, v in scores.items())
    )
    if arguments.dry_run:
        return
    all_x, all_y = np.vstack([train_x, dev_x]), np.concatenate([train_y, dev_y])
    if arguments.without_dev:
        all_x, all_y = train_x, train_y
    _, final, weight = next(c for c in candidates() if c[0] == best[1])
    mean, scale = standardise(all_x, weight)
    final.fit((all_x - mean) / scale, all_y)  # type: ignore[attr-defined]
    info = {
        "model": best[1],
        "chosen on": chosen_on,
        "temperature (calibrated on dev)": round(temperature, 2),
        "none offset (chosen by cross-validation)": arguments.none_offset,
        "dev mean F1 (trained on train only)": round(best[0], 4),
        "trained on": [*TRAINING_SETS] if arguments.without_dev else [*TRAINING_SETS, "dev"],
        "rows": len(all_y),
        "command": "bench/insights/train.py"
        + (" --without-dev" if arguments.without_dev else "")
        + (f" --model '{arguments.model}'" if arguments.model else "")
        + (f" --none-offset {arguments.none_offset}" if arguments.none_offset else ""),
        "python": sys.version.split()[0],
    }
    calibration = {
        "temperature": np.array(temperature, dtype=np.float32),
        "none_offset": np.array(arguments.none_offset, dtype=np.float32),
    }
    write(final, mean, scale, {**fit_prefilter(all_x, all_y), **calibration}, info)


if __name__ == "__main__":
    main()
