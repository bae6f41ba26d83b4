"""Job status callbacks (§4.2): best effort, bounded by a timeout, never failing the job."""

from __future__ import annotations

import httpx
import structlog

log = structlog.get_logger(__name__)


def notify(url: str | None, job_id: str, status: str, timeout: float) -> bool:
    """POST `{jobId, status}` to `url`; True when the receiver answered 2xx."""
    if not url:
        return False
    try:
        response = httpx.post(url, json={"jobId": job_id, "status": status}, timeout=timeout)
    except httpx.HTTPError as exc:
        log.warning("webhook.failed", job_id=job_id, status=status, error=str(exc))
        return False
    if response.is_success:
        log.info("webhook.delivered", job_id=job_id, status=status, code=response.status_code)
        return True
    log.warning("webhook.rejected", job_id=job_id, status=status, code=response.status_code)
    return False
