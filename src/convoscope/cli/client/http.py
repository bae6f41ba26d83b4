"""`Client`: the HTTP calls the CLI makes, with failures turned into `ClientError`s."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx

from convoscope.cli.client.errors import AuthFailed, ClientError, JobFailed, NotFound, UsageProblem

UPLOAD_CHUNK = 256 * 1024
FINAL_STATUSES = ("completed", "failed")
# GET paths of the insight panels, keyed by the name they are shown under.
INSIGHT_PATHS = {
    "summary": "summary",
    "questions": "questions",
    "actionItems": "action-items",
    "followUps": "follow-ups",
    "topics": "topics?parentRefs=true",
    "entities": "entities",
    "trackers": "trackers-detected",
    "analytics": "analytics",
}


class Client:
    def __init__(
        self,
        url: str,
        app_id: str | None,
        app_secret: str | None,
        *,
        timeout: float = 60.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.url = url.rstrip("/")
        self._credentials = (app_id, app_secret)
        self._token: str | None = None
        self._http = httpx.Client(base_url=self.url, timeout=timeout, transport=transport)

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    # -- plumbing ---------------------------------------------------------------------------------

    def _send(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        try:
            response = self._http.request(method, path, **kwargs)
        except httpx.ConnectError:
            raise ClientError(f"Cannot reach the server at {self.url}: is it running?") from None
        except httpx.TimeoutException:
            raise ClientError(f"The server at {self.url} did not answer in time.") from None
        except httpx.HTTPError as exc:
            raise ClientError(f"Request to {self.url} failed: {exc}") from None
        if response.is_success:
            return response
        message = _error_message(response)
        if response.status_code == 401:
            raise AuthFailed(f"Not authorised: {message}")
        if response.status_code == 404:
            raise NotFound(message)
        if response.status_code in (400, 413, 429):
            raise UsageProblem(message)
        raise ClientError(f"Server error {response.status_code}: {message}")

    def token(self) -> str:
        if self._token is None:
            app_id, app_secret = self._credentials
            if not app_id or not app_secret:
                raise AuthFailed(
                    "No credentials: pass --app-id/--app-secret "
                    "or set CONVOSCOPE_APP_ID/CONVOSCOPE_APP_SECRET."
                )
            body = {"type": "application", "appId": app_id, "appSecret": app_secret}
            try:
                answer = self._send("POST", "/oauth2/token:generate", json=body).json()
            except AuthFailed:
                raise AuthFailed("Bad credentials: the server refused this appId/appSecret.") from None
            self._token = str(answer["accessToken"])
        return self._token

    def call(self, method: str, path: str, **kwargs: Any) -> Any:
        headers = {"Authorization": f"Bearer {self.token()}", **kwargs.pop("headers", {})}
        response = self._send(method, path, headers=headers, **kwargs)
        return response.json() if response.content else None

    # -- submitting -------------------------------------------------------------------------------

    def submit_file(
        self, path: Path, kind: str, options: dict[str, Any], on_bytes: Callable[[int], None] | None = None
    ) -> dict[str, str]:
        """Upload a media file as the raw body, reporting bytes sent to `on_bytes`."""
        size = path.stat().st_size

        def chunks() -> Iterator[bytes]:
            with path.open("rb") as handle:
                while chunk := handle.read(UPLOAD_CHUNK):
                    yield chunk
                    if on_bytes:
                        on_bytes(len(chunk))

        params = {k: _query_value(v) for k, v in options.items()}
        headers = {"Content-Length": str(size), "Content-Type": "application/octet-stream"}
        result: dict[str, str] = self.call(
            "POST", f"/v1/process/{kind}", params=params, content=chunks(), headers=headers
        )
        return result

    def submit_url(self, url: str, kind: str, options: dict[str, Any]) -> dict[str, str]:
        result: dict[str, str] = self.call("POST", f"/v1/process/{kind}/url", json={"url": url, **options})
        return result

    def submit_text(self, body: dict[str, Any], options: dict[str, Any]) -> dict[str, str]:
        result: dict[str, str] = self.call("POST", "/v1/process/text", json={**body, **options})
        return result

    # -- jobs -------------------------------------------------------------------------------------

    def job(self, job_id: str) -> dict[str, Any]:
        result: dict[str, Any] = self.call("GET", f"/v1/job/{job_id}")
        return result

    def job_in_conversation(self, conversation_id: str, job_id: str) -> dict[str, Any]:
        """The job as the conversation's job list shows it: `scheduled` while it waits in the queue
        (the Job API says `in_progress` then, as Symbl's clients expect)."""
        jobs = self.call("GET", f"/v1/conversations/{conversation_id}/jobs")["jobs"]
        found = next((job for job in jobs if job["id"] == job_id), None)
        if found is None:
            raise NotFound(f"Job {job_id} is not a job of conversation {conversation_id}.")
        return dict(found)

    def wait(
        self,
        job_id: str,
        on_status: Callable[[str], None] | None = None,
        *,
        conversation_id: str | None = None,
        interval: float = 1.0,
        timeout: float | None = None,
    ) -> dict[str, Any]:
        """Poll until the job completes; `JobFailed` (with the server's message) when it fails. With
        its `conversation_id` the progress tells a queued job from a running one."""
        deadline = time.monotonic() + timeout if timeout else None
        while True:
            job = self.job_in_conversation(conversation_id, job_id) if conversation_id else self.job(job_id)
            if on_status:
                on_status(job["status"])
            if job["status"] == "failed":
                raise JobFailed(f"Job {job_id} failed: {job.get('message') or 'no reason given'}")
            if job["status"] == "completed":
                return job
            if deadline is not None and time.monotonic() > deadline:
                raise ClientError(f"Job {job_id} did not finish in {timeout:.0f}s (still {job['status']}).")
            time.sleep(interval)

    # -- conversations ----------------------------------------------------------------------------

    def conversations(self, limit: int = 20, offset: int = 0) -> list[dict[str, Any]]:
        params = {"limit": limit, "offset": offset, "order": "desc"}
        return list(self.call("GET", "/v1/conversations", params=params)["conversations"])

    def conversation(self, conversation_id: str) -> dict[str, Any]:
        result: dict[str, Any] = self.call("GET", f"/v1/conversations/{conversation_id}")
        return result

    def messages(self, conversation_id: str) -> list[dict[str, Any]]:
        return list(self.call("GET", f"/v1/conversations/{conversation_id}/messages")["messages"])

    def insights(self, conversation_id: str) -> dict[str, Any]:
        """Every insight panel; one the server does not offer (404 on a path) is left out."""
        found: dict[str, Any] = {}
        for name, path in INSIGHT_PATHS.items():
            try:
                answer = self.call("GET", f"/v1/conversations/{conversation_id}/{path}")
            except NotFound:
                continue
            # Most answers wrap their list in a key of the same name; trackers are a bare array.
            wrapped = isinstance(answer, dict) and name != "analytics"
            found[name] = answer.get(name, []) if wrapped else answer
        return found

    def export(self, conversation_id: str, content_type: str) -> str:
        body: dict[str, Any] = {"contentType": content_type}
        if content_type == "text/markdown":
            body.update(createParagraphs=True, showSpeakerSeparation=True)
        else:
            body["showSpeakerSeparation"] = True
        answer = self.call("POST", f"/v1/conversations/{conversation_id}/transcript", json=body)
        payload = answer["transcript"]["payload"]
        # Symbl's SRT example nests the payload as {content, contentType}; Markdown's is a string.
        return str(payload["content"] if isinstance(payload, dict) else payload)

    def delete(self, conversation_id: str) -> None:
        self.call("DELETE", f"/v1/conversations/{conversation_id}")


def _error_message(response: httpx.Response) -> str:
    try:
        body = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        return response.text.strip()[:200] or response.reason_phrase
    if isinstance(body, dict) and body.get("message"):
        return str(body["message"])
    return response.reason_phrase


def _query_value(value: Any) -> str:
    """How Symbl clients put options in a query string: booleans as true/false, lists and objects as
    JSON text."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | dict):
        return json.dumps(value)
    return str(value)
