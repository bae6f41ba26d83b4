"""The form fields of the OpenAI-style speech routes, checked the way OpenAI's API reference
describes them (https://platform.openai.com/docs/api-reference/audio/createTranscription).

Each wrong field is a 400 naming it (`param`). Fields OpenAI has for its other models are accepted
and ignored where ignoring them changes nothing a client relies on (`stream`, `include[]`,
`chunking_strategy`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal, get_args

from convoscope.api.speech_form import SpeechForm
from convoscope.config import Settings
from convoscope.errors import InvalidParameter
from convoscope.pipeline.models.weights import BUILTIN_MODELS, is_multilingual, list_models
from convoscope.pipeline.whisper_languages import whisper_language

ResponseFormat = Literal["json", "text", "srt", "verbose_json", "vtt"]
Granularity = Literal["word", "segment"]
Task = Literal["transcribe", "translate"]

# OpenAI's speech-to-text model ids: each is served by this server's configured model.
OPENAI_MODELS = frozenset(
    {
        "whisper-1",
        "gpt-transcribe",
        "gpt-4o-transcribe",
        "gpt-4o-mini-transcribe",
        "gpt-4o-mini-transcribe-2025-12-15",
        "gpt-4o-transcribe-diarize",
    }
)


@dataclass(frozen=True)
class SpeechParams:
    model: str  # the speech model that runs the request (the configured one, or one named)
    language: str | None  # Whisper's code; None: detected
    prompt: str | None
    response_format: ResponseFormat
    temperature: float
    granularities: frozenset[Granularity]


def _model(form: SpeechForm, settings: Settings) -> str:
    name = (form.value("model") or "").strip()
    if not name:
        raise InvalidParameter("you must provide a model parameter", param="model")
    if name in OPENAI_MODELS or name == settings.asr.model:
        return settings.asr.model
    installed = {m.name for m in list_models(settings.models_dir, settings.asr.model) if m.installed}
    if name in BUILTIN_MODELS and name in installed:
        return name
    offered = ", ".join(sorted({"whisper-1", *(n for n in installed if n in BUILTIN_MODELS)}))
    raise InvalidParameter(
        f"The model {name!r} does not exist on this server. Use one of: {offered}.",
        param="model",
        code="model_not_found",
    )


def _response_format(form: SpeechForm) -> ResponseFormat:
    value = (form.value("response_format") or "json").strip()
    formats: tuple[ResponseFormat, ...] = get_args(ResponseFormat)
    if value not in formats:
        raise InvalidParameter(
            f"{value!r} is not one of {list(formats)} - 'response_format'", param="response_format"
        )
    return value


def _temperature(form: SpeechForm) -> float:
    value = form.value("temperature")
    if value is None or not value.strip():
        return 0.0
    try:
        temperature = float(value)
    except ValueError:
        temperature = math.nan
    if not 0.0 <= temperature <= 1.0:  # also refuses nan
        raise InvalidParameter(
            f"Invalid temperature {value!r}: a number between 0 and 1.", param="temperature"
        )
    return temperature


def _language(form: SpeechForm, model: str) -> str | None:
    value = (form.value("language") or "").strip()
    if not value:
        return None
    language = whisper_language(value)
    if language is None:
        raise InvalidParameter(
            f"Invalid language {value!r}. Language parameter must be specified in ISO-639-1 format.",
            param="language",
        )
    if language != "en" and is_multilingual(model) is False:
        raise InvalidParameter(
            f"The speech model {model!r} is English-only: it cannot recognise {value!r}.",
            param="language",
            code="unsupported_language",
        )
    return language


def _granularities(form: SpeechForm, response_format: ResponseFormat) -> frozenset[Granularity]:
    values = form.values("timestamp_granularities")
    allowed: tuple[Granularity, ...] = get_args(Granularity)
    unknown = [v for v in values if v not in allowed]
    if unknown:
        raise InvalidParameter(
            f"{unknown[0]!r} is not one of {list(allowed)} - 'timestamp_granularities'",
            param="timestamp_granularities",
        )
    if values and response_format != "verbose_json":
        raise InvalidParameter(
            "response_format must be set to verbose_json to use timestamp granularities.",
            param="timestamp_granularities",
        )
    return frozenset(values or ["segment"])  # type: ignore[arg-type]


def speech_params(form: SpeechForm, settings: Settings, task: Task) -> SpeechParams:
    """The request's parameters, or a 400 naming the first one that is wrong."""
    model = _model(form, settings)
    if task == "translate" and is_multilingual(model) is False:
        raise InvalidParameter(
            f"Translation needs a multilingual speech model; {model!r} is English-only. "
            "Configure a multilingual one (CONVOSCOPE_ASR_MODEL=base).",
            param="model",
            code="unsupported_model",
        )
    response_format = _response_format(form)
    prompt = form.value("prompt")
    return SpeechParams(
        model=model,
        language=_language(form, model),
        prompt=prompt if prompt and prompt.strip() else None,
        response_format=response_format,
        temperature=_temperature(form),
        granularities=_granularities(form, response_format)
        if task == "transcribe"
        else frozenset(["segment"]),
    )
