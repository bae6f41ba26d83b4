"""Structured logging: stable event names with key-value fields, as text or JSON lines.

Our own events go through structlog; records from the standard library (uvicorn, Huey, Alembic,
SQLAlchemy) are rendered by the same renderer, so with `log_json` every line on stderr is JSON.
Context bound with `structlog.contextvars` (a request's `request_id`, a job's `job_id` and
`worker_id`) is added to every event logged while it is bound, library records included.
"""

from __future__ import annotations

import logging
import sys

import structlog

# Libraries whose INFO lines are noise in production logs.
_QUIET = ("huey", "alembic", "uvicorn.access")


def configure_logging(level: str = "info", as_json: bool = False) -> None:
    renderer: structlog.typing.Processor = (
        structlog.processors.JSONRenderer() if as_json else structlog.dev.ConsoleRenderer(colors=False)
    )
    shared: list[structlog.typing.Processor] = [
        structlog.contextvars.merge_contextvars,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]
    structlog.configure(
        processors=[*shared, structlog.processors.format_exc_info, renderer],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelNamesMapping()[level.upper()]),
        logger_factory=structlog.PrintLoggerFactory(sys.stderr),
        cache_logger_on_first_use=False,
    )
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            foreign_pre_chain=[*shared, structlog.stdlib.add_logger_name],
            processors=[
                structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                structlog.processors.format_exc_info,
                renderer,
            ],
        )
    )
    root = logging.getLogger()
    root.handlers = [handler]
    root.setLevel(level.upper())
    for name in _QUIET:
        logging.getLogger(name).setLevel(logging.WARNING)
