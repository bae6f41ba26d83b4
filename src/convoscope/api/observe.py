"""ASGI middleware: a request id on every request (log context and `X-Request-ID` header) and the
request metrics (method, route template, status, latency)."""

from __future__ import annotations

import re
import time

import structlog
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from convoscope import metrics
from convoscope.ids import uuid_id

log = structlog.get_logger(__name__)

REQUEST_ID_HEADER = "x-request-id"
# A caller's id is kept (so a proxy's id follows the request) only when it looks like an id.
_ACCEPTABLE_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


class ObserveMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = _incoming_id(scope) or uuid_id()
        status = 500
        started = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
                headers = list(message.get("headers", []))
                headers.append((REQUEST_ID_HEADER.encode(), request_id.encode()))
                message = {**message, "headers": headers}
            await send(message)

        with structlog.contextvars.bound_contextvars(request_id=request_id):
            try:
                await self.app(scope, receive, send_with_id)
            finally:
                seconds = time.perf_counter() - started
                route = str(getattr(scope.get("route"), "path", "unmatched"))
                metrics.request_served(scope["method"], route, status, seconds)
                log.info("http.request", method=scope["method"], route=route, path=scope["path"],
                         status=status, seconds=round(seconds, 4))  # fmt: skip


def _incoming_id(scope: Scope) -> str | None:
    for name, value in scope.get("headers", []):
        if name == REQUEST_ID_HEADER.encode():
            candidate = value.decode("latin-1")
            return candidate if _ACCEPTABLE_ID.match(candidate) else None
    return None
