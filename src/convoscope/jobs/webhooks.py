"""Job status callbacks: a POST of `{"jobId", "status"}` to the request's `webhookUrl` on every status
change, as Symbl sends them; signed, retried with backoff, guarded like media URLs, never failing
the job.

Each delivery carries `X-Convoscope-Timestamp` (Unix seconds) and
`X-Convoscope-Signature: v1=<hex HMAC-SHA256 of "<timestamp>.<body>">` keyed with the app's webhook
secret (`convoscope apps webhook-secret APP_ID`). A receiver recomputes the HMAC, compares in
constant time and rejects old timestamps, which stops forged and replayed calls.

Deliveries of one process go through one background thread, in order, so a slow receiver never
holds up a job and `in_progress` always arrives before `completed`.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import queue
import threading
import time
from dataclasses import dataclass

import structlog

from convoscope.config import Settings
from convoscope.fetch import FetchError, post_guarded
from convoscope.netguard import NetPolicy

log = structlog.get_logger(__name__)

SIGNATURE_HEADER = "X-Convoscope-Signature"
TIMESTAMP_HEADER = "X-Convoscope-Timestamp"


def webhook_secret(signing_key: str, app_id: str) -> str:
    """The app's webhook secret, derived from the server key: nothing extra to store or leak."""
    return hmac.new(signing_key.encode(), f"webhook:{app_id}".encode(), hashlib.sha256).hexdigest()


def sign(secret: str, timestamp: int, body: bytes) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"v1={digest}"


def verify(secret: str, timestamp: str, body: bytes, signature: str, tolerance: float = 300.0) -> bool:
    """What a receiver does: the signature matches and the timestamp is recent."""
    if not timestamp.isdigit() or abs(time.time() - int(timestamp)) > tolerance:
        return False
    return hmac.compare_digest(sign(secret, int(timestamp), body), signature)


@dataclass(frozen=True)
class Delivery:
    url: str
    job_id: str
    status: str
    secret: str


class WebhookSender:
    """Delivers status callbacks from a background thread, retrying failures with backoff."""

    def __init__(
        self, policy: NetPolicy, *, attempts: int = 4, backoff: float = 1.0, timeout: float = 5.0
    ) -> None:
        self.policy, self.attempts, self.backoff, self.timeout = policy, attempts, backoff, timeout
        self._queue: queue.Queue[Delivery | None] = queue.Queue()
        self._thread = threading.Thread(target=self._run, name="webhooks", daemon=True)
        self._thread.start()

    @classmethod
    def from_settings(cls, settings: Settings) -> WebhookSender:
        return cls(
            NetPolicy.from_strings(settings.webhooks.allow),
            attempts=settings.webhooks.attempts,
            backoff=settings.webhooks.backoff_seconds,
            timeout=settings.webhooks.timeout_seconds,
        )

    def send(self, delivery: Delivery) -> None:
        self._queue.put(delivery)

    def close(self, timeout: float = 5.0) -> None:
        """Deliver what is queued (within `timeout`), then stop."""
        self._queue.put(None)
        self._thread.join(timeout)

    def deliver(self, delivery: Delivery) -> bool:
        body = json.dumps({"jobId": delivery.job_id, "status": delivery.status}).encode()
        wait = self.backoff
        for attempt in range(1, self.attempts + 1):
            timestamp = int(time.time())
            headers = {
                "Content-Type": "application/json",
                TIMESTAMP_HEADER: str(timestamp),
                SIGNATURE_HEADER: sign(delivery.secret, timestamp, body),
            }
            code: int | None = None
            try:
                code = post_guarded(delivery.url, body, headers, policy=self.policy, timeout=self.timeout)
            except FetchError as exc:
                if exc.reason in ("refused", "bad_url"):  # retrying cannot help
                    log.warning("webhook.refused", job_id=delivery.job_id, error=str(exc))
                    return False
                error = str(exc)
            else:
                if 200 <= code < 300:
                    log.info(
                        "webhook.delivered", job_id=delivery.job_id, status=delivery.status, attempt=attempt
                    )
                    return True
                error = f"HTTP {code}"
            log.warning(
                "webhook.failed", job_id=delivery.job_id, status=delivery.status, attempt=attempt, error=error
            )
            if code is not None and 400 <= code < 500 and code not in (408, 429):
                return False  # the receiver rejected it: sending it again will not change that
            if attempt < self.attempts:
                time.sleep(wait)
                wait *= 2
        return False

    def _run(self) -> None:
        while (delivery := self._queue.get()) is not None:
            try:
                self.deliver(delivery)
            except Exception:  # a bug here must not stop later deliveries
                log.exception("webhook.crashed", job_id=delivery.job_id)
