"""JSON text from clients, parsed with a bound on nesting.

Nothing a client sends needs more than a few levels (a text submit is four deep); a deeper document
is refused as a 400 rather than exhausting the parser's recursion (a 500) or being stored.
"""

from __future__ import annotations

import json
from typing import Any

MAX_DEPTH = 32


class JsonTooDeep(ValueError):
    def __init__(self) -> None:
        super().__init__(f"JSON is nested more than {MAX_DEPTH} levels deep.")


def loads(text: str | bytes) -> Any:
    """`json.loads`, raising `json.JSONDecodeError` (or `UnicodeDecodeError`) for bad JSON and
    `JsonTooDeep` for a document nested more than `MAX_DEPTH` levels."""
    try:
        value = json.loads(text)
    except RecursionError:
        raise JsonTooDeep() from None
    check_depth(value)
    return value


def check_depth(value: Any) -> None:
    """Raise `JsonTooDeep` when `value` (parsed JSON) nests lists and objects past `MAX_DEPTH`."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict):
            children: Any = node.values()
        elif isinstance(node, list):
            children = node
        else:
            continue
        if depth > MAX_DEPTH:
            raise JsonTooDeep()
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
