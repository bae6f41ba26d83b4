"""Renews a running job's lease from a side thread, so long steps keep the job."""

from __future__ import annotations

import threading
from collections.abc import Callable

import structlog

log = structlog.get_logger(__name__)


class LeaseHeartbeat:
    """Calls `renew` every third of the lease until stopped or until `renew` says the job is lost."""

    def __init__(self, renew: Callable[[], bool], lease_seconds: float, job_id: str) -> None:
        self._renew, self._job_id = renew, job_id
        self._interval = max(0.2, lease_seconds / 3)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat, name=f"heartbeat-{job_id[:8]}", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _beat(self) -> None:
        while not self._stop.wait(self._interval):
            try:
                if not self._renew():
                    return
            except Exception:  # a database hiccup must not kill the thread; the next beat retries
                log.warning("job.heartbeat_failed", job_id=self._job_id)
