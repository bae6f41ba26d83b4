"""Build the labelled conversations (Symbl text-API JSON) from their readable sources.

    .venv/bin/python bench/insights/build.py

Source format (`source/<set>/*.txt`): `# key: value` header lines (title, kind, type (meeting,
call, or sentences), reference_time, timed, independent (yes: each line is said on its own),
members as `Full Name <email>; ...`, topics and entities as `;`-separated lists, entities as
`type:text` or `type:text=value`, e.g. `time:5 p.m.=17:00`), then one utterance per line,
`Name: text {label}`. Labels: `{Q}` question; `{A:Assignee@due phrase}` action item;
`{F:Assignee@due phrase}` follow-up (also an action item); `{S}` small talk and `{D}` a decision
(neither is an insight: they are kept for the small-talk and summary figures). Assignee and due
phrase are optional (`{A:}`, `{F:Sam}`, `{A:@today}`). No label means none.
"""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
LINE = re.compile(r"^(?P<name>[^:]+):\s*(?P<text>.*?)\s*(?:\{(?P<label>[^}]*)\})?\s*$")
SECONDS_PER_WORD = 0.4
PAUSE_SECONDS = 0.6


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def _label(raw: str | None) -> dict[str, Any]:
    if not raw:
        return {"kind": "none"}
    if raw == "Q":
        return {"kind": "question"}
    if raw == "S":
        return {"kind": "none", "small_talk": True}
    if raw == "D":
        return {"kind": "none", "decision": True}
    kind, _, rest = raw.partition(":")
    assignee, _, due = rest.partition("@")
    return {
        "kind": "follow_up" if kind == "F" else "action_item",
        "assignee": assignee.strip() or None,
        "due": due.strip() or None,
    }


def _entity(raw: str) -> dict[str, str]:
    kind, _, rest = raw.partition(":")
    text, _, value = rest.partition("=")
    entity = {"type": kind.strip(), "text": text.strip()}
    if value.strip():
        entity["value"] = value.strip()
    return entity


def build_one(source: Path) -> dict[str, Any]:
    header: dict[str, str] = {}
    utterances: list[tuple[str, str, dict[str, Any]]] = []
    for line in source.read_text().splitlines():
        if line.startswith("#"):
            key, _, value = line[1:].partition(":")
            header[key.strip()] = value.strip()
        elif line.strip():
            match = LINE.match(line)
            if match is None:
                raise ValueError(f"{source.name}: cannot read {line!r}")
            utterances.append((match["name"].strip(), match["text"], _label(match["label"])))
    members = {}
    for entry in header["members"].split(";"):
        name, _, email = entry.strip().partition("<")
        members[name.strip().split()[0]] = {"name": name.strip(), "userId": email.rstrip(">").strip()}
    clock = datetime.fromisoformat(header["reference_time"].replace("Z", "")) - timedelta(minutes=30)
    messages = []
    for speaker, text, label in utterances:
        message: dict[str, Any] = {
            "payload": {"content": text, "contentType": "text/plain"},
            "from": members[speaker],
            "label": label,
        }
        if header.get("timed") == "yes":
            end = clock + timedelta(seconds=SECONDS_PER_WORD * len(text.split()))
            message["duration"] = {"startTime": _iso(clock), "endTime": _iso(end)}
            clock = end + timedelta(seconds=PAUSE_SECONDS)
        messages.append(message)
    return {
        "name": header["title"],
        "kind": header["kind"],
        "type": header.get("type", "meeting"),
        "independent": header.get("independent") == "yes",
        "referenceTime": header["reference_time"],
        "messages": messages,
        "labels": {
            "topics": [t.strip() for t in header.get("topics", "").split(";") if t.strip()],
            "entities": [_entity(e) for e in header.get("entities", "").split(";") if ":" in e],
        },
    }


def main() -> None:
    for source in sorted((HERE / "source").glob("*/*.txt")):
        target = HERE / "conversations" / source.parent.name / f"{source.stem}.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(build_one(source), indent=2) + "\n")
        print(target.relative_to(HERE))


if __name__ == "__main__":
    main()
