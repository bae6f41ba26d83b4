"""Lenient request values, and one way of saying what is wrong with a request.

Values arrive as JSON values (from a body) or as strings (from a query string that `api.params` has
already unpacked); every type here accepts both, so one model parses either. What real clients send:

- booleans as `true`/`false` in any case, `1`/`0`, `yes`/`no`, `on`/`off` (an empty string is false);
- numbers as strings;
- lists as JSON text, as `[a,b]` without quotes (the Go SDK), as one object for a list of one, and an
  empty value for no list at all.

What pydantic finds wrong becomes one Symbl-style message naming the field and the limit
(`"trackers[].name" must be at most 200 characters long`); `parse` raises it as `BadRequest`, and the
API renders FastAPI's own validation errors (query parameters) with the same `describe`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, TypeVar, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    ValidationError,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError, core_schema

from convoscope.conversations import json_text
from convoscope.errors import BadRequest
from convoscope.timeutil import parse_iso

# Longest accepted strings and longest lists of the submit options, each refused with a 400 that
# names the limit.
MAX_TERM_CHARS = 500  # a custom vocabulary term, a tracker phrase, an entity's text or value
MAX_LABEL_CHARS = 200  # a tracker name, an entity type
MAX_LIST_ITEMS = 1000  # custom vocabulary terms, trackers, phrases of one tracker, entities
MAX_NAME_CHARS = 320  # a person's name, email or user id

_TRUE = {"true", "1", "yes", "on"}
_FALSE = {"false", "0", "no", "off", ""}

# A text submit's messages are named by position (`messages[3].payload.content`): there can be
# thousands. Option lists are short and named by field (`trackers[].name`).
_INDEXED_LISTS = frozenset({"messages"})

M = TypeVar("M", bound=BaseModel)


class RequestModel(BaseModel):
    """A request read from a client: unknown fields are ignored (clients send extras)."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True, frozen=True)


def invalid(reason: str) -> PydanticCustomError:
    """A validation error whose message follows the field's name: `"name" <reason>`."""
    return PydanticCustomError("invalid", "{reason}", {"reason": reason})


def parse(model: type[M], params: Mapping[str, Any], **context: Any) -> M:
    """Validate `params` as `model`; the first thing wrong is a `BadRequest`."""
    try:
        return model.model_validate(params, context=context)
    except ValidationError as exc:
        raise BadRequest(describe(exc.errors())) from None


def describe(errors: Sequence[Mapping[str, Any]]) -> str:
    """The first error as `"field.path" what is wrong`."""
    if not errors:
        return "Bad request."
    error = errors[0]
    loc = [part for part in error.get("loc", ()) if part not in ("body", "query", "path")]
    kind, ctx = str(error.get("type", "")), dict(error.get("ctx") or {})
    reason = _REASONS[kind].format(**ctx) if kind in _REASONS else str(error.get("msg", "is invalid"))
    if loc and loc[-1] == "[key]":  # a dict key: `"metadata" keys must be ...`
        return f'"{_path(loc[:-2])}" keys {reason}'
    if loc and isinstance(loc[-1], int) and not _indexed(loc[:-1]):  # an item of an option list
        if kind == "string_type":
            return f'"{_path(loc[:-1])}" must be an array of strings'
        if kind in ("model_type", "dict_type", "model_attributes_type"):
            return f'"{_path(loc[:-1])}" items must be objects'
        return f'"{_path(loc[:-1])}" items {reason}'
    return f'"{_path(loc)}" {reason}' if loc else reason


_REASONS = {
    "invalid": "{reason}",
    "missing": "is required",
    "string_type": "must be a string",
    "string_too_long": "must be at most {max_length} characters long",
    "string_too_short": "must be at least {min_length} characters long",
    "too_long": "must contain at most {max_length} items",
    "list_type": "must be an array",
    "dict_type": "must be an object",
    "model_type": "must be an object",
    "model_attributes_type": "must be an object",
}


def _indexed(loc: Sequence[Any]) -> bool:
    return bool(loc) and loc[-1] in _INDEXED_LISTS


def _path(loc: Sequence[Any]) -> str:
    path = ""
    for index, part in enumerate(loc):
        if isinstance(part, int):
            path += f"[{part}]" if _indexed(loc[:index]) else "[]"
        else:
            path += f".{part}" if path else str(part)
    return path


# --- scalars ---------------------------------------------------------------------------------------


def _flag(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
        return value.strip().lower() in _TRUE
    raise invalid("must be a boolean")


Flag = Annotated[bool, BeforeValidator(_flag)]
"""A boolean in any of the spellings clients send."""


def _switch(value: Any) -> bool:
    return isinstance(value, str) and value.strip().lower() in ("true", "1", "yes")


Switch = Annotated[bool, BeforeValidator(_switch)]
"""A query-string switch such as `?verbose=true`: anything but true/1/yes is off, never an error."""


@dataclass(frozen=True)
class Between:
    """A number from `low` to `high` (given as a number or a string); `integer` refuses fractions.

    The bounds are both checked here and published in the JSON schema, so they are written once.
    """

    low: float
    high: float
    integer: bool = False

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> Any:
        return core_schema.no_info_before_validator_function(self.coerce, handler(source))

    def __get_pydantic_json_schema__(self, schema: Any, handler: GetJsonSchemaHandler) -> Any:
        return {**handler(schema), "minimum": self.low, "maximum": self.high}

    def coerce(self, value: Any) -> float | int:
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise invalid("must be a number") from None
        if isinstance(value, bool) or not self.low <= number <= self.high:
            raise invalid(f"must be a number between {self.low} and {self.high}")
        if not self.integer:
            return number
        if number != int(number):
            raise invalid("must be an integer")
        return int(number)


def _blank_as_none(value: Any) -> Any:
    return None if value == "" else value


BlankIsNone = BeforeValidator(_blank_as_none)
"""For an optional field: an empty string (a query string's `?count=`) means None."""


class OneOf:
    """For a `Literal[...]` field: anything else is refused with `must be one of [a, b]`."""

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> Any:
        values = get_args(source)

        def check(value: Any) -> Any:
            if value not in values:
                raise invalid(f"must be one of [{', '.join(values)}]")
            return value

        return core_schema.no_info_before_validator_function(check, handler(source))


@dataclass(frozen=True)
class NotBlank:
    """For a string field: something besides blanks is required (`reason` otherwise); `strip` trims it."""

    reason: str = "is required"
    strip: bool = False

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> Any:
        return core_schema.no_info_after_validator_function(self.check, handler(source))

    def __get_pydantic_json_schema__(self, schema: Any, handler: GetJsonSchemaHandler) -> Any:
        return {**handler(schema), "pattern": r"\S"}

    def check(self, value: str) -> str:
        if not value.strip():
            raise invalid(self.reason)
        return value.strip() if self.strip else value


def _iso_time(value: Any) -> datetime:
    if isinstance(value, datetime):
        return value
    if not isinstance(value, str):
        raise invalid("must be an ISO-8601 date string")
    try:
        return parse_iso(value)
    except ValueError:
        raise invalid("must be an ISO-8601 date string") from None


IsoTime = Annotated[
    datetime, BeforeValidator(_iso_time), WithJsonSchema({"type": "string", "format": "date-time"})
]
"""An ISO-8601 date and time; `Z` and offsets honoured, naive values taken as UTC."""


# --- lists and objects -----------------------------------------------------------------------------


def as_list(value: Any) -> Any:
    """JSON text, `[a,b]` unquoted, one object or an empty value, read as a list."""
    if not value:
        return []
    if isinstance(value, str):
        try:
            value = json_text.loads(value)
        except json_text.JsonTooDeep as exc:
            raise invalid(f"is not accepted: {exc}") from None
        except json.JSONDecodeError:
            value = [part.strip() for part in value.strip().strip("[]").split(",") if part.strip()]
    return [value] if isinstance(value, dict) else value


def _clean_terms(items: list[str]) -> list[str]:
    return [item.strip().strip('"') for item in items if item.strip()]


def _not_empty(items: list[Any]) -> list[Any]:
    if not items:
        raise invalid("must not be empty")
    return items


AsList = BeforeValidator(as_list)
"""For a list field: any of the list spellings above."""


Terms = Annotated[
    list[Annotated[str, Field(max_length=MAX_TERM_CHARS)]],
    Field(max_length=MAX_LIST_ITEMS),
    AsList,
    AfterValidator(_clean_terms),
]
"""Words or phrases, trimmed; blank ones dropped."""

RequiredTerms = Annotated[Terms, AfterValidator(_not_empty), WithJsonSchema({
    "type": "array", "items": {"type": "string", "maxLength": MAX_TERM_CHARS, "pattern": r"\S"},
    "minItems": 1, "maxItems": MAX_LIST_ITEMS,
})]  # fmt: skip
"""`Terms` with at least one that is not blank."""


def _json_object(value: Any) -> Any:
    if not value:
        return {}
    if isinstance(value, str):
        try:
            return json_text.loads(value)
        except json_text.JsonTooDeep as exc:
            raise invalid(f"is not accepted: {exc}") from None
        except json.JSONDecodeError:
            raise invalid("must be an object") from None
    return value


JsonObject = Annotated[dict[str, Any], BeforeValidator(_json_object)]
"""An object, or its JSON text; an empty value for none."""
