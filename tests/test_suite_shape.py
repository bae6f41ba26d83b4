"""The shape of the test suite: support code lives in `tests/fixtures`, and nothing else is imported.

A test module that imports another test module or a conftest ties the two together (and runs the
imported module's code a second time under another name); `conftest.py` files that hold helpers
invite exactly that. So: modules under `tests/` and `bench/` import, of the `tests` package, only
`tests.fixtures`; a conftest defines only fixtures and hooks.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SUPPORT = "tests.fixtures"


def _python_files(*folders: str) -> list[Path]:
    return sorted(path for folder in folders for path in (ROOT / folder).rglob("*.py"))


def _package_of(path: Path) -> list[str]:
    """The package a module's relative imports start from."""
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return parts[:-1]


def imported_modules(source: str, package: list[str]) -> Iterator[tuple[int, str]]:
    """(line, module) for every import in `source`, relative ones resolved against `package`,
    `from a import b` as `a.b` (b may be a module)."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            yield from ((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            yield from ((node.lineno, f"{module}.{alias.name}") for alias in node.names)


def _is_support(module: str) -> bool:
    return module == SUPPORT or module.startswith(SUPPORT + ".")


def test_test_code_imports_only_the_fixtures_package() -> None:
    offences = [
        f"{path.relative_to(ROOT)}:{line} imports {module}"
        for path in _python_files("tests", "bench")
        for line, module in imported_modules(path.read_text(), _package_of(path))
        if module.split(".")[0] == "tests" and not _is_support(module)
    ]
    assert not offences, "import support code from tests.fixtures instead:\n" + "\n".join(offences)


def _is_fixture_or_hook(function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    if function.name.startswith("pytest_"):
        return True
    targets = [d.func if isinstance(d, ast.Call) else d for d in function.decorator_list]
    return any(ast.unparse(target) in ("pytest.fixture", "fixture") for target in targets)


def test_conftests_define_only_fixtures_and_hooks() -> None:
    offences = []
    for path in _python_files("tests"):
        if path.name != "conftest.py":
            continue
        for node in ast.parse(path.read_text(), str(path)).body:
            if isinstance(node, ast.ClassDef):
                offences.append(f"{path.relative_to(ROOT)}:{node.lineno} class {node.name}")
            elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and not _is_fixture_or_hook(node):
                offences.append(f"{path.relative_to(ROOT)}:{node.lineno} def {node.name}")
    assert not offences, "move helpers to tests.fixtures:\n" + "\n".join(offences)


def test_the_import_reader_resolves_relative_and_plain_imports() -> None:
    source = "from .helpers import parsed\nimport tests.conftest\nfrom tests import backends, fixtures\n"
    found = [module for _, module in imported_modules(source, ["tests", "pipeline", "insights"])]
    assert found == [
        "tests.pipeline.insights.helpers.parsed",
        "tests.conftest",
        "tests.backends",
        "tests.fixtures",
    ]
    assert [_is_support(module) for module in found] == [False, False, False, True]
