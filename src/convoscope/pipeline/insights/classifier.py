"""The utterance classifier: is a sentence a question, an action item, a follow-up, or none of these?

A small network (or a logistic regression: a network without hidden layer) over the sentence's
facts, its neighbours' facts and its MiniLM embedding (`features`), trained on the labelled
conversations in `bench/insights` by `bench/insights/train.py`, which records how in the weights
file. The weights ship in the package (`weights/utterances.npz`, with its SHA-256 beside it) and
are checked on load: a file that does not match, or that was trained on other features, is refused.
A prefilter (a logistic regression over the facts alone) lets most candidates that are plainly
nothing go before they are embedded, which is most of the cost. Only numpy runs here.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from convoscope.pipeline.insights.features import FEATURE_NAMES, SentenceFacts, handmade_rows
from convoscope.pipeline.insights.parsed import ParsedConversation
from convoscope.pipeline.models.once import load_once

WEIGHTS = Path(__file__).resolve().parent / "weights" / "utterances.npz"
CLASSES = ("none", "question", "action_item", "follow_up")


class ClassifierWeightsError(RuntimeError):
    """The shipped weights are missing, altered, or do not fit these features."""


@dataclass(frozen=True)
class Prefilter:
    """A logistic regression over the handmade features alone: a candidate it gives less than
    `threshold` chance of being any insight is let go without an embedding (the costly part)."""

    mean: np.ndarray
    scale: np.ndarray
    weights: np.ndarray
    bias: float
    threshold: float

    def keeps(self, rows: np.ndarray) -> np.ndarray:
        logits = ((rows - self.mean) / self.scale) @ self.weights + self.bias
        return np.asarray(1.0 / (1.0 + np.exp(-logits)) >= self.threshold)


@dataclass(frozen=True)
class UtteranceModel:
    mean: np.ndarray
    scale: np.ndarray
    layers: tuple[tuple[np.ndarray, np.ndarray], ...]  # (weights, bias); ReLU between layers
    prefilter: Prefilter | None = None
    temperature: float = 1.0  # the logits are divided by it: calibrated on held-out conversations
    # Added to the "none" logit after the temperature: how readily a sentence is read as nothing,
    # chosen by cross-validation over every development set (`crossval.py --none-offsets`).
    none_offset: float = 0.0

    def probabilities(self, rows: np.ndarray) -> np.ndarray:
        """One row of class probabilities (in `CLASSES` order) per input row."""
        values = (rows - self.mean) / self.scale
        for depth, (weights, bias) in enumerate(self.layers):
            values = values @ weights + bias
            if depth < len(self.layers) - 1:
                values = np.maximum(values, 0.0)
        values = values / self.temperature
        values[:, 0] += self.none_offset
        values = values - values.max(axis=1, keepdims=True)
        exp = np.exp(values)
        return np.asarray(exp / exp.sum(axis=1, keepdims=True))


def load_model(path: Path = WEIGHTS) -> UtteranceModel:
    """Read and check the weights (their SHA-256, their feature names and classes)."""
    digest_file = path.with_name(path.name + ".sha256")
    try:
        content = path.read_bytes()
        expected = digest_file.read_text().split()[0]
    except OSError as error:
        raise ClassifierWeightsError(f"cannot read the utterance classifier's weights: {error}") from error
    if hashlib.sha256(content).hexdigest() != expected:
        raise ClassifierWeightsError(f"{path.name} does not match its SHA-256 ({digest_file.name})")
    with np.load(path, allow_pickle=False) as data:
        if tuple(str(n) for n in data["feature_names"]) != FEATURE_NAMES:
            raise ClassifierWeightsError(f"{path.name} was trained on other features; train it again")
        if tuple(str(c) for c in data["classes"]) != CLASSES:
            raise ClassifierWeightsError(f"{path.name} has classes {list(data['classes'])}, not {CLASSES}")
        count = int(data["layer_count"])
        layers = tuple((data[f"weights_{i}"], data[f"bias_{i}"]) for i in range(count))
        prefilter = None
        if "prefilter_weights" in data:
            prefilter = Prefilter(
                mean=data["prefilter_mean"],
                scale=data["prefilter_scale"],
                weights=data["prefilter_weights"],
                bias=float(data["prefilter_bias"]),
                threshold=float(data["prefilter_threshold"]),
            )
        temperature = float(data["temperature"]) if "temperature" in data else 1.0
        none_offset = float(data["none_offset"]) if "none_offset" in data else 0.0
        return UtteranceModel(data["mean"], data["scale"], layers, prefilter, temperature, none_offset)


@load_once
def default_model() -> UtteranceModel:
    return load_model()


@dataclass(frozen=True)
class Reading:
    """What the classifier makes of one sentence."""

    question: float  # P(question)
    action: float  # P(action item), follow-ups included
    follow_up: float  # P(follow-up): the part of `action` that is getting in touch

    @property
    def none(self) -> float:
        return max(0.0, 1.0 - self.question - self.action)

    def confidence(self, kind: str) -> float:
        """How sure it is this kind rather than the likeliest other reading: P(kind) / (P(kind) +
        P(runner-up)), at least 0.5 for the kind it is read as (so the default threshold keeps every
        sentence read as a question or an action item, and a higher one keeps the clearer ones)."""
        chosen = self.question if kind == "question" else self.action
        other = max(self.action if kind == "question" else self.question, self.none)
        return chosen / (chosen + other) if chosen + other > 0 else 0.0

    @property
    def kind(self) -> str:
        """ "question", "action_item", "follow_up" or "none": the likeliest reading."""
        if max(self.question, self.action) < self.none:
            return "none"
        if self.question >= self.action:
            return "question"
        return "follow_up" if self.follow_up >= self.action - self.follow_up else "action_item"


NOT_A_CANDIDATE = Reading(0.0, 0.0, 0.0)


def classify(
    conversation: ParsedConversation, facts: list[SentenceFacts], model: UtteranceModel | None = None
) -> list[Reading]:
    """A reading of every sentence; sentences that are no candidate at all read as nothing."""
    model = model or default_model()
    candidates = [index for index, fact in enumerate(facts) if fact.is_candidate]
    readings = [NOT_A_CANDIDATE] * len(facts)
    handmade = handmade_rows(conversation, facts, candidates)
    if model.prefilter is not None and candidates:
        kept = model.prefilter.keeps(handmade)
        candidates = [index for index, keep in zip(candidates, kept, strict=True) if keep]
        handmade = handmade[kept]
    if not candidates:
        return readings
    vectors = conversation.embed([facts[i].sentence.text.strip() for i in candidates])
    probabilities = model.probabilities(np.hstack([handmade, vectors]))
    for index, row in zip(candidates, probabilities, strict=True):
        readings[index] = Reading(
            question=float(row[1]), action=float(row[2] + row[3]), follow_up=float(row[3])
        )
    return readings
