"""GET /v1/job/{jobId} (https://docs.symbl.ai/docs/async-api/overview/jobs-api)."""

from __future__ import annotations

from fastapi import APIRouter

from convoscope.api.deps import AppId, ServicesDep
from convoscope.api.schemas.submit import JobResponse
from convoscope.conversations.queries import own_job

router = APIRouter(tags=["jobs"])


@router.get("/v1/job/{jobId}", response_model=JobResponse, response_model_exclude_unset=True)
def get_job(jobId: str, app_id: AppId, services: ServicesDep) -> JobResponse:
    with services.db.session() as session:
        return JobResponse.of(own_job(session, app_id, jobId))
