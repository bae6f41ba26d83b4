"""Insights time for a one-hour meeting: the wall time of `analyze` with the models loaded.

    .venv/bin/python bench/insights/hour.py [--words 9000] [--torch-threads 1] [--repeat 3]

The meeting is the training conversations one after another (about 150 words a minute, so 9,000
words is an hour), spoken by four members, with message times. Torch runs one thread, as in a
worker (`CONVOSCOPE_TORCH_THREADS` defaults to 1). Prints the best and the median of the repeats
(wall time), the best CPU time of the process (what the analysis costs when it has a core to itself),
with `os.cpu_count()` and the load average.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from dataclasses import replace
from datetime import timedelta

from corpus import load, set_paths

from convoscope.pipeline.types import Speaker, Transcript, TranscriptMessage


def hour_meeting(words: int) -> Transcript:
    members = tuple(
        Speaker(f"member-{i}", name, f"{name.lower()}@example.com")
        for i, name in enumerate(("Maya Brooks", "Tom Reyes", "Ana Costa", "Luis Ortega"))
    )
    messages: list[TranscriptMessage] = []
    first = None
    count = 0
    for path in set_paths("train,main,heldout,heldout2,dev"):
        transcript = load(path).transcript
        first = first or transcript
        speakers = {m.id: members[i % len(members)] for i, m in enumerate(transcript.members)}
        for message in transcript.messages:
            start = first.reference_time + timedelta(seconds=0.4 * count)
            length = len(message.text.split())
            speaker = speakers[message.speaker.id] if message.speaker else None
            messages.append(
                TranscriptMessage(
                    f"{len(messages):06d}",
                    message.text,
                    speaker,
                    start,
                    start + timedelta(seconds=0.4 * length),
                )
            )
            count += length
            if count >= words:
                return replace(first, conversation_id="hour", messages=tuple(messages), members=members)
    raise SystemExit(f"the corpus has fewer than {words} words")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--words", type=int, default=9000)
    parser.add_argument("--torch-threads", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    arguments = parser.parse_args()
    import torch

    from convoscope.pipeline.insights import InsightOptions
    from convoscope.pipeline.insights.engine import analyze
    from convoscope.pipeline.nlp import default_models

    torch.set_num_threads(arguments.torch_threads)
    meeting = hour_meeting(arguments.words)
    models = default_models()
    analyze(replace(meeting, messages=meeting.messages[:50]), InsightOptions(), models)  # load the models
    seconds, cpu = [], []
    for _ in range(arguments.repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        analyze(meeting, InsightOptions(), models)
        seconds.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    load_average = ", ".join(f"{v:.1f}" for v in os.getloadavg())
    print(
        f"one-hour meeting: {len(meeting.messages)} sentences, {arguments.words} words; analyze best "
        f"{min(seconds):.2f} s, median {statistics.median(seconds):.2f} s; CPU time best {min(cpu):.2f} s "
        f"(torch threads "
        f"{arguments.torch_threads}, cpu_count {os.cpu_count()}, load average {load_average})"
    )


if __name__ == "__main__":
    main()
