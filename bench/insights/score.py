"""Score the insights engine on the labelled conversations.

    .venv/bin/python bench/insights/score.py --set dev            # in process
    .venv/bin/python bench/insights/score.py --set test --http    # through the HTTP API
    .venv/bin/python bench/insights/score.py --set dev --verbose  # also every miss and false alarm

A predicted insight counts on the message it points to. Prints precision, recall and F1 for
questions, action items and follow-ups; the insights said on small talk; assignee and due-date
agreement; entity recall (by type, with typed time values) and organisation precision; topic
recall; what the summary and the comprehensive action items say; the time per 1,000 words.
"""

from __future__ import annotations

import argparse
import math
import os
import re
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from corpus import Conversation, load, set_paths
from predictions import EntityView, Item, Prediction, from_result

KINDS = ("question", "action_item", "follow_up")
SAME_ENTITY_TYPES = {
    "date": {"date", "datetime", "daterange", "duration"},
    "time": {"time", "datetime", "timerange"},
    "number": {"number", "money", "duration"},
    "money": {"money", "number"},
    "organization": {"organization", "product"},
}
STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "for",
        "with",
        "to",
        "and",
        "in",
        "on",
        "at",
        "by",
        "our",
        "your",
        "their",
        "my",
        "new",
    ]
)

Predictor = Callable[[Conversation], Prediction]


@dataclass
class Counts:
    true_positive: int = 0
    false_positive: int = 0
    false_negative: int = 0
    misses: list[str] = field(default_factory=list)
    false_alarms: list[str] = field(default_factory=list)

    def add(self, gold: set[str], predicted: set[str], texts: dict[str, str]) -> None:
        self.true_positive += len(gold & predicted)
        self.false_positive += len(predicted - gold)
        self.false_negative += len(gold - predicted)
        self.misses += [texts[i] for i in sorted(gold - predicted)]
        self.false_alarms += [texts[i] for i in sorted(predicted - gold)]

    def figures(self) -> tuple[float, float, float]:
        precision = self.true_positive / max(self.true_positive + self.false_positive, 1)
        recall = self.true_positive / max(self.true_positive + self.false_negative, 1)
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return precision, recall, f1


@dataclass
class Tally:
    """Hits out of a total, kept by name."""

    hits: Counter[str] = field(default_factory=Counter)
    totals: Counter[str] = field(default_factory=Counter)

    def add(self, name: str, hit: bool) -> None:
        self.totals[name] += 1
        self.hits[name] += hit

    def text(self, name: str) -> str:
        total = self.totals[name]
        return f"{self.hits[name] / max(total, 1):.3f} ({self.hits[name]}/{total})"


def _ids(items: tuple[Item, ...]) -> set[str]:
    return {message_id for item in items for message_id in item.message_ids}


def _same_text(wanted: str, entity: EntityView) -> bool:
    texts = {entity.text.lower(), entity.value.lower()}
    return any(wanted in t or (t and t in wanted and len(t) >= len(wanted) / 2) for t in texts)


NUMBER_WORD = re.compile(
    r"[$€£]?\d[\d,.]*|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fourteen|"
    r"twenty|thirty|forty|fifty|sixty|eighty|ninety|hundred)\b",
    re.IGNORECASE,
)


def _entity_found(gold: dict[str, str], entities: tuple[EntityView, ...]) -> bool:
    """An entity of a compatible type with the same text (or, for numbers and money, the same number:
    "34" is "34 points"); a labelled value (a time of day) must be in the value found."""
    allowed = SAME_ENTITY_TYPES.get(gold["type"], {gold["type"]})
    wanted = gold["text"].lower()
    number = NUMBER_WORD.search(wanted) if gold["type"] in {"number", "money"} else None
    for entity in entities:
        if entity.kind not in allowed:
            continue
        said = f" {entity.text.lower()} {entity.value.lower()} "
        same = _same_text(wanted, entity) or (
            number is not None and re.search(rf"(?<![\w$€£]){re.escape(number.group().lower())}(?!\w)", said)
        )
        if same and ("value" not in gold or gold["value"] in entity.value):
            return True
    return False


def _words(text: str) -> set[str]:
    found = set()
    for word in re.findall(r"[\w'-]+", text.lower()):
        if word in STOP_WORDS:
            continue
        found.add(word[:-1] if word.endswith("s") and not word.endswith("ss") and len(word) > 3 else word)
    return found


def topic_matches(gold: str, predicted: str) -> bool:
    """A key-phrase match: most of the labelled phrase's words, and not lost in a longer phrase."""
    gold_words, predicted_words = _words(gold), _words(predicted)
    shared = len(gold_words & predicted_words)
    return shared >= math.ceil(0.6 * len(gold_words)) and shared >= 0.5 * len(predicted_words) and shared > 0


def _first_names(conversation: Conversation) -> set[str]:
    return {m.name.split()[0] for m in conversation.transcript.members}


@dataclass
class Score:
    counts: dict[str, Counts] = field(default_factory=lambda: {kind: Counts() for kind in KINDS})
    tally: Tally = field(default_factory=Tally)
    organization_predicted: int = 0
    organization_correct: int = 0
    topics_per_conversation: list[int] = field(default_factory=list)
    topic_words: list[int] = field(default_factory=list)
    summary_sentences: list[int] = field(default_factory=list)
    small_talk_alarms: list[str] = field(default_factory=list)
    entity_misses: list[str] = field(default_factory=list)
    summaries: list[str] = field(default_factory=list)


def score_one(conversation: Conversation, prediction: Prediction, score: Score) -> None:
    labels = conversation.labels
    texts = {m.id: f"{conversation.path.stem}: {m.text}" for m in conversation.transcript.messages}
    gold = {
        "question": {i for i, label in labels.items() if label["kind"] == "question"},
        "action_item": {i for i, label in labels.items() if label["kind"] in {"action_item", "follow_up"}},
        "follow_up": {i for i, label in labels.items() if label["kind"] == "follow_up"},
    }
    predicted = {
        "question": _ids(prediction.questions),
        "action_item": _ids(prediction.action_items),
        "follow_up": _ids(prediction.follow_ups),
    }
    for kind in KINDS:
        score.counts[kind].add(gold[kind], predicted[kind], texts)
    said = predicted["question"] | predicted["action_item"] | predicted["follow_up"]
    for message_id, label in labels.items():
        if label.get("small_talk"):
            score.tally.add("small talk", message_id in said)
            if message_id in said:
                score.small_talk_alarms.append(texts[message_id])
    first_names = _first_names(conversation)
    for item in prediction.action_items:
        label = labels.get(item.message_ids[0], {}) if item.message_ids else {}
        if label.get("kind") not in {"action_item", "follow_up"}:
            continue
        if label.get("assignee"):
            score.tally.add("assignee", item.assignee.split()[:1] == label["assignee"].split()[:1])
            if label["assignee"] in first_names:
                score.tally.add("rephrased", item.rephrased.startswith(label["assignee"]))
        if label.get("due"):
            score.tally.add("due", item.due_by is not None)
    for entity in conversation.entities:
        found = _entity_found(entity, prediction.entities)
        score.tally.add("entity", found)
        score.tally.add(f"entity {entity['type']}", found)
        if not found:
            score.entity_misses.append(f"{conversation.path.stem}: {entity}")
    gold_organizations = [e["text"].lower() for e in conversation.entities if e["type"] == "organization"]
    for entity in prediction.entities:
        if entity.kind == "organization":
            score.organization_predicted += 1
            score.organization_correct += any(_same_text(g, entity) for g in gold_organizations)
    for topic in conversation.topics:
        score.tally.add("topic", any(topic_matches(topic, t) for t in prediction.topics))
        score.tally.add("topic word", any(_words(topic) & _words(t) for t in prediction.topics))
    score.topics_per_conversation.append(len(prediction.topics))
    score.topic_words += [len(t.split()) for t in prediction.topics]
    summary_text = " ".join(s.text for s in prediction.summary)
    score.summary_sentences.append(len(prediction.summary))
    score.summaries.append(f"{conversation.path.stem}: {summary_text}")
    score.tally.add("summary names", any(re.search(rf"\b{n}\b", summary_text) for n in first_names))
    summary_ids = _ids(prediction.summary)
    assignees = {
        label["assignee"]
        for i, label in labels.items()
        if label["kind"] in {"action_item", "follow_up"} and label.get("assignee") in first_names
    }
    for name in assignees:
        score.tally.add("summary assignees", bool(re.search(rf"\b{name}\b", summary_text)))
    for message_id, label in labels.items():
        if label.get("decision"):
            score.tally.add("summary decisions", message_id in summary_ids)


def report(score: Score, header: str, verbose: bool) -> None:
    print(header)
    print(f"{'kind':<12} {'precision':>9} {'recall':>7} {'F1':>6}   tp  fp  fn")
    for kind in KINDS:
        precision, recall, f1 = score.counts[kind].figures()
        c = score.counts[kind]
        print(
            f"{kind:<12} {precision:9.3f} {recall:7.3f} {f1:6.3f}  "
            f"{c.true_positive:3d} {c.false_positive:3d} {c.false_negative:3d}"
        )
    t = score.tally
    print(f"small-talk utterances given a question/action item/follow-up: {t.text('small talk')}")
    print(f"assignee agreement on found action items: {t.text('assignee')}")
    print(f"dueBy present where a due phrase was labelled: {t.text('due')}")
    print(f"entity recall: {t.text('entity')}")
    for kind in ("person", "organization", "location", "date", "time", "money", "number"):
        if t.totals[f"entity {kind}"]:
            print(f"  {kind:<13} {t.text(f'entity {kind}')}")
    organizations = f"{score.organization_correct}/{score.organization_predicted}"
    precision = score.organization_correct / max(score.organization_predicted, 1)
    print(f"organisation precision: {precision:.3f} ({organizations})")
    topic_count = sum(score.topics_per_conversation) / max(len(score.topics_per_conversation), 1)
    words = sum(score.topic_words) / max(len(score.topic_words), 1)
    print(f"topic recall, key phrase: {t.text('topic')}; any shared word: {t.text('topic word')}")
    print(f"  {topic_count:.1f} topics per conversation, {words:.2f} words per topic")
    sentences = score.summary_sentences
    print(
        f"summary: {sum(sentences) / max(len(sentences), 1):.1f} sentences "
        f"({min(sentences, default=0)}-{max(sentences, default=0)}); "
        f"names a speaker: {t.text('summary names')}; "
        f"names who has an action item: {t.text('summary assignees')}; "
        f"refers to a labelled decision: {t.text('summary decisions')}"
    )
    print(f"comprehensive action items that start with the assignee's name: {t.text('rephrased')}")
    if verbose:
        for kind in KINDS:
            for text in score.counts[kind].misses:
                print(f"  {kind} missed: {text}")
            for text in score.counts[kind].false_alarms:
                print(f"  {kind} false alarm: {text}")
        for text in score.small_talk_alarms:
            print(f"  small talk alarm: {text}")
        for text in score.entity_misses:
            print(f"  entity missed: {text}")
        for text in score.summaries:
            print(f"  summary: {text}")


def run(names: str, verbose: bool, predict: Predictor) -> None:
    conversations = [load(path) for path in set_paths(names)]
    predict(conversations[0])  # load the models before timing
    score = Score()
    words = 0
    seconds = 0.0
    for conversation in conversations:
        started = time.perf_counter()
        prediction = predict(conversation)
        seconds += time.perf_counter() - started
        words += sum(len(m.text.split()) for m in conversation.transcript.messages)
        score_one(conversation, prediction, score)
    utterances = sum(len(c.labels) for c in conversations)
    load_average = ", ".join(f"{v:.1f}" for v in os.getloadavg())
    report(
        score,
        f"set: {names}, {len(conversations)} conversations, {utterances} sentences, {words} words",
        verbose,
    )
    print(
        f"time per 1,000 words: {1000 * seconds / max(words, 1):.2f} s "
        f"(cpu_count {os.cpu_count()}, load average {load_average})"
    )


def in_process() -> Predictor:
    from convoscope.pipeline.insights import InsightOptions
    from convoscope.pipeline.insights.engine import analyze
    from convoscope.pipeline.nlp import default_models

    models = default_models()

    def predict(conversation: Conversation) -> Prediction:
        return from_result(analyze(conversation.transcript, InsightOptions(), models))

    return predict


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument(
        "--set",
        default="dev",
        help="comma-separated: train, dev, test, test2, test3, test4, test5, main, heldout, heldout2",
    )
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument(
        "--http",
        action="store_true",
        help="submit each conversation to a real server (embedded default, loopback) and score what the API "
        "returns; the time then includes the whole job (store, insights, polling)",
    )
    parser.add_argument("--torch-threads", type=int, help="torch intra-op threads")
    arguments = parser.parse_args()
    if arguments.torch_threads:
        import torch

        torch.set_num_threads(arguments.torch_threads)
    if not arguments.http:
        run(arguments.set, arguments.verbose, in_process())
        return
    from http_predictor import served

    with served() as predict:
        run(arguments.set, arguments.verbose, predict)


if __name__ == "__main__":
    main()
