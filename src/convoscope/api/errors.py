"""Every error leaves the API as Symbl's `{"message": ...}` with the right status code; on the
OpenAI-style routes (`openai_errors`) as OpenAI's `{"error": {...}}` instead."""

from __future__ import annotations

from collections.abc import Mapping

import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from convoscope.api.openai_errors import is_openai_path, openai_error
from convoscope.conversations.lenient import describe
from convoscope.errors import ConvoscopeError, ServiceUnavailable, TooManyRequests

log = structlog.get_logger(__name__)


def _respond(
    request: Request,
    status: int,
    message: str,
    *,
    body: dict[str, object] | None = None,
    headers: Mapping[str, str] | None = None,
    error: Exception | None = None,
) -> JSONResponse:
    """`body` (default `{"message"}`), or OpenAI's shape with the error's `param` and `code`."""
    if is_openai_path(request.url.path):
        param, code = getattr(error, "param", None), getattr(error, "code", None)
        return openai_error(status, message, param=param, code=code, headers=headers)
    return JSONResponse(body or {"message": message}, status_code=status, headers=headers)


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ConvoscopeError)
    async def _convoscope_error(request: Request, exc: ConvoscopeError) -> JSONResponse:
        headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, TooManyRequests) else None
        return _respond(request, exc.status_code, exc.message, body=exc.body(), headers=headers, error=exc)

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        return _respond(request, 400, describe(exc.errors()))

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return _respond(request, exc.status_code, str(exc.detail), headers=exc.headers)

    @app.exception_handler(OperationalError)
    async def _database_down(request: Request, exc: OperationalError) -> JSONResponse:
        log.error("database.unavailable", error=str(exc.orig))
        error = ServiceUnavailable()
        return _respond(request, error.status_code, error.message, body=error.body())

    @app.exception_handler(RecursionError)
    async def _too_deep(request: Request, exc: RecursionError) -> JSONResponse:
        # Our readers bound nesting themselves; this catches a parser that does not (no 500, no trace).
        log.warning("request.too_deep", path=request.url.path)
        return _respond(request, 400, "Request is nested too deeply.")

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("request.crashed", error=str(exc))
        return _respond(request, 500, "Internal server error.")
