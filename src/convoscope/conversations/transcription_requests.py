"""What an OpenAI-style transcription or translation asks for, as its job stores it.

It is a media submit (`MediaOptions`: the conversation's name and language, no diarization, one
channel) plus Whisper's own options. The API builds it from the form it received (parameters
checked there, with OpenAI's errors); the worker reads it back like any stored request.
"""

from __future__ import annotations

from typing import Literal

from convoscope.conversations.job_requests import MediaOptions
from convoscope.conversations.languages import DEFAULT_LANGUAGE_CODE, WHISPER_LANGUAGE


class TranscriptionRequest(MediaOptions):
    """POST /v1/audio/transcriptions and /v1/audio/translations (https://platform.openai.com/docs/api-reference/audio)."""

    task: Literal["transcribe", "translate"] = "transcribe"
    model: str | None = None  # a speech model name or directory; None: the configured model
    language: str | None = None  # Whisper's code of the language spoken; None: detected
    prompt: str | None = None  # text the decoder continues from (style, spelling of names)
    temperature: float = 0.0  # 0: Whisper's fallback schedule; above: sampling from there up
    keep: bool = False  # keep the request as a conversation once answered

    @property
    def temperatures(self) -> tuple[float, ...] | None:
        """Whisper's schedule for `temperature` (None: the default one, from 0.0): from the value
        given up to 1.0 in steps of 0.2, as Whisper's command line does."""
        if self.temperature <= 0:
            return None
        steps = int((1.0 - self.temperature) / 0.2 + 1e-6)
        return tuple(round(self.temperature + 0.2 * i, 2) for i in range(steps + 1))


def symbl_language_code(whisper_code: str | None) -> str:
    """The conversation's `languageCode` for a Whisper language (the first Symbl code selecting it)."""
    return next(
        (code for code, lang in WHISPER_LANGUAGE.items() if lang == whisper_code), DEFAULT_LANGUAGE_CODE
    )
