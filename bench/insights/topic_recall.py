"""Topic recall alone, per set: the topics (`detect_topics`, above the default threshold) against the
labelled key phrases, matched as `score.py` matches them, with the topics per conversation and the
share of topics that match a labelled phrase (a precision; the labels list the main phrases only).

    .venv/bin/python bench/insights/topic_recall.py --set dev,test2,test3          # one row per set
    .venv/bin/python bench/insights/topic_recall.py --set test12 --misses          # also every miss
    .venv/bin/python bench/insights/topic_recall.py --set dev --cache /tmp/vectors.npz

Much quicker than `score.py` (no questions, action items or entities), so a change to the topics can
be checked on every development set. `--cache` keeps the phrase embeddings between runs (a file of
MiniLM vectors by text, written back at the end): only the phrases a change adds are embedded.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

import numpy as np
from corpus import load, set_paths
from score import topic_matches

DEVELOPMENT_SETS = "dev,test2,test3,test4,test5,test6,test7,test8,test9,test10,test11,test12,test"


class CachedEmbedder:
    """The models' `embed`, remembering each text's vector (and reading and writing them to a file)."""

    def __init__(self, embed, path: Path | None) -> None:  # type: ignore[no-untyped-def]
        self._embed = embed
        self._path = path
        self._vectors: dict[str, np.ndarray] = {}
        if path is not None and path.exists():
            with np.load(path, allow_pickle=False) as stored:
                self._vectors = dict(zip(stored["texts"].tolist(), stored["vectors"], strict=True))

    def __call__(self, texts: list[str]) -> np.ndarray:
        missing = [t for t in dict.fromkeys(texts) if t not in self._vectors]
        if missing:
            self._vectors.update(zip(missing, self._embed(missing), strict=True))
        return np.stack([self._vectors[t] for t in texts]) if texts else np.zeros((0, 384), np.float32)

    def save(self) -> None:
        if self._path is not None:
            texts = list(self._vectors)
            np.savez(self._path, texts=np.array(texts), vectors=np.stack([self._vectors[t] for t in texts]))


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--set", default=DEVELOPMENT_SETS, help="comma-separated set names")
    parser.add_argument("--misses", action="store_true", help="print each missed phrase and the topics given")
    parser.add_argument("--cache", type=Path, help="a file of phrase embeddings kept between runs")
    arguments = parser.parse_args()

    from convoscope.pipeline.insights.options import InsightOptions
    from convoscope.pipeline.insights.organizations import organization_names
    from convoscope.pipeline.insights.parsed import parse_conversation
    from convoscope.pipeline.insights.topics import detect_topics
    from convoscope.pipeline.nlp import default_models

    models = default_models()
    embedder = CachedEmbedder(models.embed, arguments.cache)
    models.embed = embedder  # type: ignore[method-assign]
    threshold = InsightOptions().confidence_threshold
    total_found = total_labels = total_topics = total_conversations = total_matching = 0
    print(f"{'set':<8} {'recall':>7} {'found':>9} {'topics/conv':>11} {'words/topic':>11} {'matching':>9}")
    for name in arguments.set.split(","):
        found = labels = topic_count = word_count = matching = 0
        conversations = [load(path) for path in set_paths(name)]
        for conversation in conversations:
            parsed = parse_conversation(conversation.transcript, models)
            topics, _ = detect_topics(parsed, {}, organization_names(parsed))
            texts = [t.text for t in topics if t.score >= threshold]
            topic_count += len(texts)
            word_count += sum(len(t.split()) for t in texts)
            matching += sum(any(topic_matches(label, t) for label in conversation.topics) for t in texts)
            for label in conversation.topics:
                hit = any(topic_matches(label, t) for t in texts)
                found += hit
                if arguments.misses and not hit:
                    print(f"  miss {conversation.path.stem}: {label!r}   given: {' | '.join(texts)}")
            labels += len(conversation.topics)
        count = max(len(conversations), 1)
        print(
            f"{name:<8} {found / max(labels, 1):7.3f} {f'{found}/{labels}':>9} {topic_count / count:11.1f} "
            f"{word_count / max(topic_count, 1):11.2f} {matching / max(topic_count, 1):9.3f}"
        )
        total_found, total_labels = total_found + found, total_labels + labels
        total_topics, total_conversations = (
            total_topics + topic_count,
            total_conversations + len(conversations),
        )
        total_matching += matching
    print(
        f"{'all':<8} {total_found / max(total_labels, 1):7.3f} {f'{total_found}/{total_labels}':>9} "
        f"{total_topics / max(total_conversations, 1):11.1f} {'':>11} "
        f"{total_matching / max(total_topics, 1):9.3f}"
        f"   (load average "
        f"{', '.join(f'{v:.1f}' for v in os.getloadavg())})"
    )
    embedder.save()


if __name__ == "__main__":
    main()
