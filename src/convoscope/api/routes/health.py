"""Operations endpoints: `/healthz` and `/readyz` (no authentication), and Prometheus `/metrics`,
which shows figures across all apps and so is served only when `server.metrics_token` is set, to a
scraper that sends it as `Authorization: Bearer <token>` (404 while it is unset, 401 without it).

`/readyz` answers 503 when the database or the queue does not answer, or when the worker inside
this process (embedded default) stopped beating. On an API-only node the live worker count is
reported but does not make the node unready: jobs wait on the queue until a worker comes.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from convoscope import health, metrics
from convoscope.api.deps import get_services
from convoscope.errors import NotFound, Unauthorized

router = APIRouter(tags=["operations"])


@router.get("/healthz")
def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz")
def readyz(request: Request) -> JSONResponse:
    services = get_services(request)
    report = health.Report()
    health.check_database(report, services.db)
    health.check_queue(report, services.queue)
    worker = getattr(request.app.state, "worker", None)
    if worker is not None:
        health.check_own_worker(report, worker)
    elif report.checks["database"]["ok"]:
        health.report_cluster_workers(report, services.db, services.settings.jobs.lease_seconds)
    return JSONResponse(report.body(), status_code=200 if report.ready else 503)


def _check_scraper(request: Request) -> None:
    expected = get_services(request).settings.server.metrics_token
    if expected is None:
        raise NotFound()
    sent = request.headers.get("authorization", "")
    wanted = f"Bearer {expected.get_secret_value()}"
    if not hmac.compare_digest(sent.encode(), wanted.encode()):
        raise Unauthorized()


@router.get("/metrics", include_in_schema=False)
async def prometheus_metrics(request: Request) -> Response:
    _check_scraper(request)
    state = request.app.state
    render: Callable[[], bytes] | None = getattr(state, "render_metrics", None)
    if render is None:
        services = get_services(request)
        render = metrics.exposition(metrics.ClusterCollector(services.db, services.queue))
        state.render_metrics = render
    body: Any = await run_in_threadpool(render)
    return Response(body, media_type=metrics.CONTENT_TYPE)
