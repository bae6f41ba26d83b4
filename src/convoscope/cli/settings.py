"""The settings of an in-process command: environment first, then the command's own options."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from convoscope.config import Settings
from convoscope.logs import configure_logging


def load_settings(data_dir: Path | None = None, **sections: dict[str, Any]) -> Settings:
    """`Settings` from the environment with the options given on the command line, by section
    (`server={"port": 8080}`; None: not given), with logging configured from them."""
    given: dict[str, Any] = {"data_dir": data_dir} if data_dir is not None else {}
    for section, values in sections.items():
        chosen = {name: value for name, value in values.items() if value is not None}
        if chosen:
            given[section] = chosen
    settings = Settings(**given)
    configure_logging(settings.log.level, settings.log.json_lines)
    return settings
