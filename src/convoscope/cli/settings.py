"""The settings of an in-process command: environment first, then the command's own options."""

from __future__ import annotations

from typing import Any

from convoscope.config import Settings
from convoscope.logs import configure_logging


def load_settings(**overrides: Any) -> Settings:
    """`Settings` from the environment with the options given on the command line (None: not given),
    with logging configured from them."""
    settings = Settings(**{k: v for k, v in overrides.items() if v is not None})
    configure_logging(settings.log_level, settings.log_json)
    return settings
