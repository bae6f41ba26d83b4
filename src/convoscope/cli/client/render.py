"""Readable terminal output: a transcript with speakers and times, and the insights under headings."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

import click

SPEAKER_COLOURS = ("cyan", "magenta", "yellow", "green", "blue", "red")


def clock(seconds: float | None) -> str:
    if seconds is None:
        return "--:--"
    total = int(seconds)
    hours, rest = divmod(total, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60:02d}:{rest % 60:02d}"


def _seconds_between(start: str | None, end: str | None) -> float | None:
    if not start or not end:
        return None
    parse = datetime.fromisoformat
    return (parse(end.replace("Z", "+00:00")) - parse(start.replace("Z", "+00:00"))).total_seconds()


def conversation_line(conversation: dict[str, Any]) -> str:
    duration = _seconds_between(conversation.get("startTime"), conversation.get("endTime"))
    speakers = ", ".join(m["name"] for m in conversation.get("members", [])) or "-"
    started = (conversation.get("startTime") or "")[:16].replace("T", " ")
    return f"{conversation['id']}  {started}  {clock(duration)}  {conversation['name']}  [{speakers}]"


def conversation_header(conversation: dict[str, Any]) -> str:
    return click.style(conversation["name"], bold=True) + "\n" + conversation_line(conversation)


def transcript(messages: list[dict[str, Any]]) -> str:
    colours: dict[str, str] = {}
    lines = []
    for message in messages:
        speaker = (message.get("from") or {}).get("name") or "Unknown speaker"
        colour = colours.setdefault(speaker, SPEAKER_COLOURS[len(colours) % len(SPEAKER_COLOURS)])
        stamp = clock(message.get("timeOffset"))
        lines.append(f"[{stamp}] {click.style(speaker, fg=colour, bold=True)}: {message['text']}")
    return "\n".join(lines) or "(no messages)"


def _heading(title: str) -> str:
    return click.style(title, bold=True, underline=True)


def _bullets(items: Iterable[str]) -> list[str]:
    return [f"  - {item}" for item in items]


def _action_item(item: dict[str, Any]) -> str:
    extra = []
    if (item.get("assignee") or {}).get("name"):
        extra.append(f"assignee: {item['assignee']['name']}")
    if item.get("dueBy"):
        extra.append(f"due: {item['dueBy'][:10]}")
    return item["text"] + (f" ({', '.join(extra)})" if extra else "")


def _topic(topic: dict[str, Any]) -> str:
    parents = [p["text"] for p in topic.get("parentRefs") or []]
    return topic["text"] + (f" (under: {', '.join(parents)})" if parents else "")


def _entity(entity: dict[str, Any]) -> str:
    kind = entity.get("customType") or entity.get("type", "")
    value = entity.get("value")
    shown = value if isinstance(value, str) and value != entity.get("text") else None
    return f"{entity.get('text', '')} [{kind}]" + (f" = {shown}" if shown else "")


def _tracker(tracker: dict[str, Any]) -> str:
    values = sorted({m.get("value", "") for m in tracker.get("matches", [])})
    return f"{tracker['name']}: {', '.join(values)}"


def _analytics(analytics: dict[str, Any]) -> list[str]:
    talk = sum(m.get("seconds", 0) for m in analytics.get("metrics", []) if m["type"] == "total_talk_time")
    if not talk:  # text conversations have no timings: nothing worth showing
        return []
    lines = []
    for metric in analytics.get("metrics", []):
        label = metric["type"].replace("_", " ")
        lines.append(f"  - {label}: {metric.get('seconds', 0):.1f}s ({metric.get('percent', 0):.0f}%)")
    for member in analytics.get("members", []):
        talk = member.get("talkTime", {})
        wpm = (member.get("pace") or {}).get("wpm")
        lines.append(
            f"  - {member.get('name', '?')}: talks {talk.get('seconds', 0):.1f}s "
            f"({talk.get('percentage', 0):.0f}%)" + (f", {wpm} wpm" if wpm else "")
        )
    return lines


def insights(found: dict[str, Any]) -> str:
    """The insight panels that have content, in a fixed order."""
    sections: list[tuple[str, list[str]]] = [
        ("Summary", _bullets(s["text"] for s in found.get("summary", []))),
        ("Questions", _bullets(q["text"] for q in found.get("questions", []))),
        ("Action items", _bullets(_action_item(a) for a in found.get("actionItems", []))),
        ("Follow-ups", _bullets(_action_item(f) for f in found.get("followUps", []))),
        ("Topics", _bullets(_topic(t) for t in found.get("topics", []))),
        ("Entities", _bullets(_entity(e) for e in found.get("entities", []))),
        ("Trackers", _bullets(_tracker(t) for t in found.get("trackers", []))),
        ("Speaker analytics", _analytics(found.get("analytics") or {})),
    ]
    blocks = [f"{_heading(title)}\n" + "\n".join(lines) for title, lines in sections if lines]
    return "\n\n".join(blocks) or "(no insights)"
