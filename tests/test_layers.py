"""The import graph of `convoscope`: no cycles, and no import from a lower layer to a higher one.

Read from the source with `ast` (imports inside functions count too), so nothing is imported here.
`from package import module` is an import of that module, as import-linter counts it.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SOURCE = Path(__file__).resolve().parents[1] / "src" / "convoscope"

# Bottom to top. A module may import its own layer and the layers below it, never a layer above.
LAYERS: list[tuple[str, set[str]]] = [
    ("base", {"config", "config_env", "errors", "ids", "timeutil", "logs"}),
    ("pipeline", {"pipeline"}),
    ("infrastructure", {"db", "tables", "migrations", "queue", "storage", "netguard", "fetch"}),
    (
        "services",
        {
            "secrets_store",
            "ratelimit",
            "metrics",
            "token_claims",
            "auth",
            "api_keys",
            "media_links",
            "services",
        },
    ),
    ("domain", {"conversations", "jobs"}),
    ("runtime", {"worker", "health", "doctor"}),
    ("edge", {"api", "cli"}),
]
# Within a layer, these never import those (one direction only).
NEVER = {("conversations", "jobs"), ("health", "worker"), ("api", "cli")}
# The ML core imports nothing of the server but the base layer.
PIPELINE_MAY_IMPORT = {"pipeline", "timeutil", "errors"}


def _modules() -> dict[str, Path]:
    modules = {}
    for path in SOURCE.rglob("*.py"):
        parts = path.relative_to(SOURCE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        modules[name] = path
    return modules


def import_graph() -> dict[str, set[str]]:
    modules = _modules()
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                for alias in node.names:
                    target = f"{node.module}.{alias.name}"
                    graph[name].add(target if target in modules else node.module)
            elif isinstance(node, ast.Import):
                graph[name].update(alias.name for alias in node.names)
        graph[name] = {t for t in graph[name] if t in modules and t != name}
    return graph


def _top(module: str) -> str:
    return module.split(".")[1] if "." in module else ""


def _layer(module: str) -> int:
    top = _top(module)
    for index, (_name, members) in enumerate(LAYERS):
        if top in members:
            return index
    raise AssertionError(f"{module} belongs to no layer: add its package to LAYERS")


def test_every_module_has_a_layer() -> None:
    for module in import_graph():
        if module != "convoscope":
            _layer(module)


def test_no_import_reaches_up_a_layer() -> None:
    upward = [
        f"{module} ({LAYERS[_layer(module)][0]}) imports {target} ({LAYERS[_layer(target)][0]})"
        for module, targets in import_graph().items()
        if module != "convoscope"
        for target in targets
        if target != "convoscope" and _layer(target) > _layer(module)
    ]
    assert not upward, "\n".join(upward)


def test_one_way_imports_within_a_layer() -> None:
    wrong = [
        f"{module} imports {target}"
        for module, targets in import_graph().items()
        for target in targets
        if (_top(module), _top(target)) in NEVER
    ]
    assert not wrong, "\n".join(wrong)


def test_the_pipeline_imports_no_server_code() -> None:
    wrong = [
        f"{module} imports {target}"
        for module, targets in import_graph().items()
        if _top(module) == "pipeline"
        for target in targets
        if _top(target) not in PIPELINE_MAY_IMPORT
    ]
    assert not wrong, "\n".join(wrong)


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in graph:
        if node not in index:
            visit(node)
    return found


def test_no_import_cycles() -> None:
    assert _cycles(import_graph()) == []


@pytest.mark.parametrize("limit", [350])
def test_no_source_module_is_too_long(limit: int) -> None:
    long = {
        str(path.relative_to(SOURCE)): lines
        for path in SOURCE.rglob("*.py")
        if (lines := len(path.read_text().splitlines())) > limit
    }
    assert not long, f"modules over {limit} lines: {long}"
