"""The languages a media job may ask for: the `languageCode` values of Symbl's Async API
(https://docs.symbl.ai/docs/async-api/overview/async-api-supported-languages) and the Whisper
language each one selects."""

from __future__ import annotations

# In Symbl's order; the API serves this list (`GET /v1/languages`) and accepts exactly these codes.
WHISPER_LANGUAGE: dict[str, str] = {
    "en-US": "en",
    "en-GB": "en",
    "en-AU": "en",
    "en-IE": "en",
    "en-IN": "en",
    "en-ZA": "en",
    "ru-RU": "ru",
    "fr-CA": "fr",
    "fr-FR": "fr",
    "de-DE": "de",
    "it-IT": "it",
    "nl-NL": "nl",
    "ja-JP": "ja",
    "es-US": "es",
    "es-ES": "es",
    "ar-SA": "ar",
    "hi-IN": "hi",
    "pt-BR": "pt",
    "pt-PT": "pt",
    "fa-IR": "fa",
}
LANGUAGE_CODES = tuple(WHISPER_LANGUAGE)
DEFAULT_LANGUAGE_CODE = "en-US"
