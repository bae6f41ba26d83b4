"""Errors of the OpenAI-style routes (`/v1/audio/...`) in OpenAI's shape, so its clients raise their
usual exceptions (`BadRequestError`, `AuthenticationError`, `RateLimitError`...):

    {"error": {"message": "...", "type": "invalid_request_error", "param": "language", "code": null}}

(https://platform.openai.com/docs/guides/error-codes). Every other route answers Symbl's `{"message"}`.
"""

from __future__ import annotations

from collections.abc import Mapping

from fastapi.responses import JSONResponse

OPENAI_PREFIX = "/v1/audio/"


def is_openai_path(path: str) -> bool:
    return path.startswith(OPENAI_PREFIX)


def _error_type(status: int) -> str:
    if status == 429:
        return "requests"
    return "server_error" if status >= 500 else "invalid_request_error"


def _default_code(status: int) -> str | None:
    return {401: "invalid_api_key", 429: "rate_limit_exceeded"}.get(status)


def openai_error(
    status: int,
    message: str,
    *,
    param: str | None = None,
    code: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    body = {
        "error": {
            "message": message,
            "type": _error_type(status),
            "param": param,
            "code": code or _default_code(status),
        }
    }
    return JSONResponse(body, status_code=status, headers=headers)
