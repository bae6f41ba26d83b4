"""Where settings come from besides arguments: `CONVOSCOPE_<section prefix><FIELD>` variables, and the
few other names in `OTHER_NAMES`. Only this module and `config` read the environment."""

from __future__ import annotations

import json
import os
from typing import Any, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic_settings import PydanticBaseSettingsSource

ENV_PREFIX = "CONVOSCOPE_"

# Other names read for a field besides `CONVOSCOPE_<prefix><FIELD>` (shorter ones, earlier ones).
OTHER_NAMES: dict[str, tuple[str, str]] = {
    "CONVOSCOPE_LOG_JSON": ("log", "json_lines"),
    "CONVOSCOPE_REFRESH_TOKEN_LIFETIME_SECONDS": ("tokens", "refresh_lifetime_seconds"),
    "CONVOSCOPE_REQUESTS_PER_MINUTE": ("limits", "requests_per_minute"),
    "CONVOSCOPE_PRELOAD_MODELS": ("worker", "preload_models"),
    "CONVOSCOPE_TORCH_THREADS": ("worker", "torch_threads"),
}


class SectionEnvSource(PydanticBaseSettingsSource):
    """Reads each section's fields from `CONVOSCOPE_<prefix><FIELD>` (and `OTHER_NAMES`); lists and
    objects are JSON text. Sources are merged key by key, so an argument for one field of a section
    leaves the environment's other fields of that section in place."""

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        return None, field_name, False  # everything is done in __call__

    def __call__(self) -> dict[str, Any]:
        environ = {name.upper(): value for name, value in os.environ.items()}
        other = {(section, name): env for env, (section, name) in OTHER_NAMES.items()}
        found: dict[str, dict[str, Any]] = {}
        for section_name, section_field in self.settings_cls.model_fields.items():
            section = section_field.annotation
            if not (isinstance(section, type) and issubclass(section, BaseModel)):
                continue
            for name, field in section.model_fields.items():
                names = [f"{ENV_PREFIX}{getattr(section, 'env_prefix', '')}{name}".upper()]
                if (section_name, name) in other:
                    names.append(other[(section_name, name)])
                value = next((environ[n] for n in names if n in environ), None)
                if value is not None:
                    found.setdefault(section_name, {})[name] = _decoded(field, value)
        return found


def _decoded(field: FieldInfo, value: str) -> Any:
    if get_origin(field.annotation) in (list, dict):
        return json.loads(value)
    return value
