"""GET /v1/job/{jobId} (§4.1)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends

from convoscope.api.deps import current_app_id, get_services
from convoscope.api.schemas.submit import JobResponse
from convoscope.conversations.queries import own_job
from convoscope.services import Services
from convoscope.tables import JobStatus

router = APIRouter(tags=["jobs"])


@router.get("/v1/job/{jobId}", response_model=JobResponse, response_model_exclude_unset=True)
def get_job(
    jobId: str, app_id: str = Depends(current_app_id), services: Services = Depends(get_services)
) -> dict[str, Any]:
    with services.db.session() as session:
        job = own_job(session, app_id, jobId)
        body: dict[str, Any] = {"id": job.id, "status": job.status}
        if job.status == JobStatus.FAILED and job.message:
            body["message"] = job.message
        return body
