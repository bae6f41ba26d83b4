"""The application factory: opens the services in the lifespan and, on the embedded default, runs
the job worker in the same process."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import structlog
from fastapi import FastAPI

from convoscope.api.errors import install_error_handlers
from convoscope.api.observe import ObserveMiddleware
from convoscope.api.openapi import install_openapi
from convoscope.api.routes import (
    audio,
    auth,
    conversations,
    extensions,
    health,
    insights,
    jobs,
    languages,
    media,
    process,
    transcript,
    voices,
    web,
)
from convoscope.api.security_headers import SecurityHeadersMiddleware
from convoscope.config import Settings
from convoscope.jobs.processors import build_processors
from convoscope.services import Services, bootstrap_app
from convoscope.worker.consumer import Worker

log = structlog.get_logger(__name__)


def create_app(settings: Settings) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        services = Services.open(settings)
        created = bootstrap_app(services)
        if created:
            app_id, app_secret = created
            # Printed once so a fresh install is usable at once; the secret is stored only hashed.
            print(f"Created app: appId={app_id} appSecret={app_secret}", flush=True)
        worker = None
        if settings.server.run_worker:
            worker = Worker(services, build_processors(settings), sole_worker=settings.is_sqlite)
            worker.start()
        app.state.services = services
        app.state.worker = worker
        log.info(
            "server.started", database=services.db.engine.url.get_backend_name(), worker=worker is not None
        )
        try:
            yield
        finally:
            if worker is not None:
                worker.stop()
            services.close()

    app = FastAPI(
        title="Convoscope",
        version="0.1.0",
        summary="Conversation intelligence with a Symbl.ai-compatible Async, Job and Conversation API.",
        lifespan=lifespan,
    )
    install_error_handlers(app)
    app.add_middleware(SecurityHeadersMiddleware)
    app.add_middleware(ObserveMiddleware)
    for router in (
        auth.router,
        process.router,
        media.router,
        jobs.router,
        languages.router,
        conversations.router,
        insights.router,
        transcript.router,
        health.router,
        extensions.router,
        voices.router,
        audio.router,
        web.router,
    ):
        app.include_router(router)
    app.mount("/ui", web.static_files(), name="ui")
    install_openapi(app)
    return app
