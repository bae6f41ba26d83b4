"""Score the insights engine on the labelled conversations.

    .venv/bin/python bench/insights/score.py            # main set
    .venv/bin/python bench/insights/score.py --set heldout
    .venv/bin/python bench/insights/score.py --verbose  # also list every miss and false alarm

Each conversation (Symbl text-API JSON with a `label` per message) is turned into a Transcript the
simple way (payloads split into sentences on end punctuation, one message per sentence) and run
through `analyze`. A predicted insight counts on the message it points to. Prints precision,
recall and F1 for questions, action items and follow-ups, assignee and due-date agreement on the
action items found, entity recall, topic recall (informational) and the time per 1,000 words.
"""

from __future__ import annotations

import argparse
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from convoscope.pipeline.insights import InsightOptions
from convoscope.pipeline.insights.action_items import ActionItem
from convoscope.pipeline.insights.engine import analyze
from convoscope.pipeline.insights.questions import Question
from convoscope.pipeline.insights.result import InsightResult
from convoscope.pipeline.nlp import default_models
from convoscope.pipeline.types import Speaker, Transcript, TranscriptMessage
from convoscope.timeutil import parse_iso

HERE = Path(__file__).resolve().parent
KINDS = ("question", "action_item", "follow_up")
SAME_ENTITY_TYPES = {"date": {"date", "time"}, "time": {"date", "time"}, "number": {"number", "money"}}


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


def load_transcript(path: Path) -> tuple[Transcript, dict[str, dict[str, Any]], dict[str, Any]]:
    """The transcript, the gold label of each message id, and the conversation-level labels."""
    data = json.loads(path.read_text())
    members: dict[str, Speaker] = {}
    messages: list[TranscriptMessage] = []
    labels: dict[str, dict[str, Any]] = {}
    for index, raw in enumerate(data["messages"]):
        sender = raw.get("from") or {}
        speaker = None
        if sender:
            key = sender.get("userId") or sender.get("name")
            speaker = members.setdefault(
                key, Speaker(f"member-{len(members)}", sender["name"], sender.get("userId"))
            )
        duration = raw.get("duration") or {}
        start = parse_iso(duration["startTime"]) if "startTime" in duration else None
        end = parse_iso(duration["endTime"]) if "endTime" in duration else None
        for part, sentence in enumerate(re.split(r"(?<=[.?!])\s+", raw["payload"]["content"].strip())):
            message_id = f"{index:03d}{part:02d}"
            messages.append(TranscriptMessage(message_id, sentence, speaker, start, end))
            labels[message_id] = raw.get("label", {"kind": "none"})
    transcript = Transcript(
        conversation_id=path.stem,
        messages=tuple(messages),
        reference_time=parse_iso(data["referenceTime"]),
        members=tuple(members.values()),
    )
    return transcript, labels, data.get("labels", {})


def _message_ids(items: tuple[Question | ActionItem, ...]) -> set[str]:
    return {message_id for item in items for message_id in item.message_ids}


def _entity_found(gold: dict[str, str], result: InsightResult) -> bool:
    allowed = SAME_ENTITY_TYPES.get(gold["type"], {gold["type"]})
    wanted = gold["text"].lower()
    for entity in result.entities:
        if entity.kind not in allowed:
            continue
        texts = {entity.text.lower(), entity.value.lower()}
        if any(wanted in t or (t and t in wanted and len(t) >= len(wanted) / 2) for t in texts):
            return True
    return False


def _topic_found(gold: str, result: InsightResult) -> bool:
    gold_words = set(gold.lower().split())
    return any(gold_words & set(topic.text.lower().split()) for topic in result.topics)


Predictor = Callable[[Path, Transcript], InsightResult]


def in_process() -> Predictor:
    models = default_models()

    def predict(_path: Path, transcript: Transcript) -> InsightResult:
        return analyze(transcript, InsightOptions(), models)

    return predict


def score(conversation_set: str, verbose: bool, predict: Predictor) -> None:
    counts = {kind: Counts() for kind in KINDS}
    assignee_agree = assignee_total = due_agree = due_total = 0
    entity_hits = entity_total = topic_hits = topic_total = 0
    words = 0
    seconds = 0.0
    paths = sorted((HERE / "conversations" / conversation_set).glob("*.json"))
    predict(paths[0], load_transcript(paths[0])[0])  # load the models before timing
    for path in paths:
        transcript, labels, conversation_labels = load_transcript(path)
        started = time.perf_counter()
        result = predict(path, transcript)
        seconds += time.perf_counter() - started
        words += sum(len(m.text.split()) for m in transcript.messages)
        texts = {m.id: f"{path.stem}: {m.text}" for m in transcript.messages}
        gold = {
            "question": {i for i, label in labels.items() if label["kind"] == "question"},
            "action_item": {
                i for i, label in labels.items() if label["kind"] in {"action_item", "follow_up"}
            },
            "follow_up": {i for i, label in labels.items() if label["kind"] == "follow_up"},
        }
        predicted = {
            "question": _message_ids(result.questions),
            "action_item": _message_ids(result.action_items),
            "follow_up": _message_ids(result.follow_ups),
        }
        for kind in KINDS:
            counts[kind].add(gold[kind], predicted[kind], texts)
        for item in result.action_items:
            label = labels[item.message_ids[0]]
            if label["kind"] not in {"action_item", "follow_up"}:
                continue
            if label.get("assignee"):
                assignee_total += 1
                name = item.assignee.name if item.assignee else ""
                assignee_agree += name.split()[:1] == label["assignee"].split()[:1]
            if label.get("due"):
                due_total += 1
                due_agree += item.due_by is not None
        for entity in conversation_labels.get("entities", []):
            entity_total += 1
            found = _entity_found(entity, result)
            entity_hits += found
            if verbose and not found:
                print(f"  entity missed: {path.stem}: {entity}")
        for topic in conversation_labels.get("topics", []):
            topic_total += 1
            topic_hits += _topic_found(topic, result)

    print(f"set: {conversation_set}, {len(paths)} conversations, {words} words")
    print(f"{'kind':<12} {'precision':>9} {'recall':>7} {'F1':>6}   tp  fp  fn")
    for kind in KINDS:
        precision, recall, f1 = counts[kind].figures()
        c = counts[kind]
        print(
            f"{kind:<12} {precision:9.3f} {recall:7.3f} {f1:6.3f}  "
            f"{c.true_positive:3d} {c.false_positive:3d} {c.false_negative:3d}"
        )
    print(f"assignee agreement on found action items: {assignee_agree}/{assignee_total}")
    print(f"dueBy present where a due phrase was labelled: {due_agree}/{due_total}")
    print(f"entity recall: {entity_hits / max(entity_total, 1):.3f} ({entity_hits}/{entity_total})")
    print(f"topic recall (word overlap, informational): {topic_hits / max(topic_total, 1):.3f}")
    print(f"insights time per 1,000 words: {1000 * seconds / max(words, 1):.2f} s (models loaded)")
    if verbose:
        for kind in KINDS:
            for text in counts[kind].misses:
                print(f"  {kind} missed: {text}")
            for text in counts[kind].false_alarms:
                print(f"  {kind} false alarm: {text}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", default="main", choices=["main", "heldout", "heldout2"])
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument(
        "--http",
        action="store_true",
        help="submit each conversation to a real server (embedded default, loopback) and score what the API "
        "returns; the time then includes the whole job (store, insights, polling)",
    )
    parser.add_argument(
        "--torch-threads", type=int, help="torch intra-op threads (1 is faster on a busy box)"
    )
    arguments = parser.parse_args()
    if arguments.torch_threads:
        import torch

        torch.set_num_threads(arguments.torch_threads)
    if not arguments.http:
        score(arguments.set, arguments.verbose, in_process())
        return
    from http_predictor import served

    with served() as predict:
        score(arguments.set, arguments.verbose, predict)


if __name__ == "__main__":
    main()
