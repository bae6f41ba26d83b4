"""Job status callbacks: a POST of `{"jobId", "status"}` to the request's `webhookUrl` on every status
change, as Symbl sends them; signed, retried with backoff, guarded like media URLs, never failing
the job.

Each delivery carries `X-Convoscope-Timestamp` (Unix seconds) and
`X-Convoscope-Signature: v1=<hex HMAC-SHA256 of "<timestamp>.<body>">` keyed with the app's webhook
secret (`convoscope apps webhook-secret APP_ID`). A receiver recomputes the HMAC, compares in
constant time and rejects old timestamps, which stops forged and replayed calls.

Deliveries leave from a few background threads, so a slow receiver never holds up a job. They are
queued per app (`fair_queue`): apps take turns, an app has one delivery in flight at a time (so
`in_progress` always arrives before `completed`), retries wait without holding a thread, and an
app's backlog is capped, so one app's slow or dead receiver cannot delay another app's calls.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from dataclasses import dataclass

import structlog

from convoscope.config import Settings
from convoscope.fetch import FetchError, post_guarded
from convoscope.jobs.fair_queue import FairQueue, Item
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


# Deliveries one app may have waiting; more are dropped (and logged) until its receiver catches up.
MAX_QUEUED_PER_APP = 1000


@dataclass(frozen=True)
class Delivery:
    url: str
    job_id: str
    status: str
    secret: str
    app_id: str = ""


class WebhookSender:
    """Delivers status callbacks from background threads, fairly across apps, retrying failures
    with backoff."""

    def __init__(
        self,
        policy: NetPolicy,
        *,
        attempts: int = 4,
        backoff: float = 1.0,
        timeout: float = 5.0,
        threads: int = 4,
    ) -> None:
        self.policy, self.attempts, self.backoff, self.timeout = policy, attempts, backoff, timeout
        self._queue: FairQueue[Delivery] = FairQueue(MAX_QUEUED_PER_APP)
        self._threads = [
            threading.Thread(target=self._run, name=f"webhooks-{i}", daemon=True) for i in range(threads)
        ]
        for thread in self._threads:
            thread.start()

    @classmethod
    def from_settings(cls, settings: Settings) -> WebhookSender:
        return cls(
            NetPolicy.from_strings(settings.webhooks.allow),
            attempts=settings.webhooks.attempts,
            backoff=settings.webhooks.backoff_seconds,
            timeout=settings.webhooks.timeout_seconds,
            threads=settings.webhooks.threads,
        )

    def send(self, delivery: Delivery) -> None:
        if not self._queue.put(Item(delivery.app_id, delivery)):
            log.warning(
                "webhook.dropped", job_id=delivery.job_id, status=delivery.status, app_id=delivery.app_id
            )

    def close(self, timeout: float = 5.0) -> None:
        """Deliver what is queued (within `timeout`), then stop."""
        self._queue.close()
        deadline = time.monotonic() + timeout
        for thread in self._threads:
            thread.join(max(0.0, deadline - time.monotonic()))

    def deliver(self, delivery: Delivery) -> bool:
        """Every attempt at one delivery, waiting between them (what the threads do, in one call)."""
        wait = self.backoff
        for attempt in range(1, self.attempts + 1):
            outcome = self._attempt(delivery, attempt)
            if outcome != "retry" or attempt == self.attempts:
                return outcome == "delivered"
            time.sleep(wait)
            wait *= 2
        return False

    def _attempt(self, delivery: Delivery, attempt: int) -> str:
        """One POST: `delivered`, `retry` or `give_up`."""
        body = json.dumps({"jobId": delivery.job_id, "status": delivery.status}).encode()
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
                return "give_up"
            error = str(exc)
        else:
            if 200 <= code < 300:
                log.info("webhook.delivered", job_id=delivery.job_id, status=delivery.status, attempt=attempt)
                return "delivered"
            error = f"HTTP {code}"
        log.warning(
            "webhook.failed", job_id=delivery.job_id, status=delivery.status, attempt=attempt, error=error
        )
        if code is not None and 400 <= code < 500 and code not in (408, 429):
            return "give_up"  # the receiver rejected it: sending it again will not change that
        return "retry"

    def _run(self) -> None:
        while (item := self._queue.take()) is not None:
            delivery = item.value
            try:
                outcome = self._attempt(delivery, item.attempt)
                if outcome == "retry" and item.attempt < self.attempts:
                    # Waits in the queue, not in this thread: other apps' calls go on meanwhile.
                    wait = self.backoff * 2 ** (item.attempt - 1)
                    later = Item(item.key, delivery, item.attempt + 1, time.monotonic() + wait)
                    self._queue.put(later, first=True)
            except Exception:  # a bug here must not stop later deliveries
                log.exception("webhook.crashed", job_id=delivery.job_id)
            finally:
                self._queue.done(item.key)
