"""GET /v1/job/{jobId} (https://docs.symbl.ai/docs/async-api/overview/jobs-api)."""

from __future__ import annotations

from fastapi import APIRouter

from convoscope.api.deps import CallerJob
from convoscope.api.schemas.submit import JobResponse

router = APIRouter(tags=["jobs"])


@router.get("/v1/job/{jobId}", response_model=JobResponse, response_model_exclude_unset=True)
async def get_job(job: CallerJob) -> JobResponse:
    # async: nothing left to do off the event loop (the job was read with the authentication)
    return JobResponse.of(job)
