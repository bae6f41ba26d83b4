"""A transcription result in the `response_format` asked for, shaped as OpenAI's speech API answers
(https://platform.openai.com/docs/api-reference/audio/verbose-json-object)."""

from __future__ import annotations

import math
from typing import Any

from fastapi.responses import JSONResponse, PlainTextResponse, Response

from convoscope.api.schemas.audio import SpeechParams, Task
from convoscope.pipeline.export import srt_of, vtt_of
from convoscope.pipeline.transcription_result import TranscriptionResult
from convoscope.pipeline.whisper_languages import language_name


def _usage(result: TranscriptionResult) -> dict[str, Any]:
    return {"type": "duration", "seconds": math.ceil(result.duration)}


def verbose_json(result: TranscriptionResult, params: SpeechParams, task: Task) -> dict[str, Any]:
    """`task`, `language` (Whisper's name: `english`; a translation's is always `english`),
    `duration`, `text`, then `segments` and `words` as the granularities ask."""
    body: dict[str, Any] = {
        "task": task,
        "language": "english" if task == "translate" else language_name(result.language),
        "duration": result.duration,
        "text": result.text,
    }
    if "segment" in params.granularities:
        body["segments"] = [
            {
                "id": s.id,
                "seek": s.seek,
                "start": s.start,
                "end": s.end,
                "text": s.text,
                "tokens": s.tokens,
                "temperature": s.temperature,
                "avg_logprob": s.avg_logprob,
                "compression_ratio": s.compression_ratio,
                "no_speech_prob": s.no_speech_prob,
            }
            for s in result.segments
        ]
    if "word" in params.granularities and task == "transcribe":
        body["words"] = [{"word": w.word, "start": w.start, "end": w.end} for w in result.words]
    if task == "transcribe":
        body["usage"] = _usage(result)
    return body


def speech_response(result: TranscriptionResult, params: SpeechParams, task: Task) -> Response:
    cues = [(s.start, s.end, s.text) for s in result.segments]
    match params.response_format:
        case "text":
            return PlainTextResponse(result.text + "\n")
        case "srt":
            return PlainTextResponse(srt_of(cues))
        case "vtt":
            return PlainTextResponse(vtt_of(cues), media_type="text/vtt")
        case "verbose_json":
            return JSONResponse(verbose_json(result, params, task))
        case _:
            body: dict[str, Any] = {"text": result.text}
            if task == "transcribe":
                body["usage"] = _usage(result)
            return JSONResponse(body)
