"""Async API answers and the Job API answer. The submit requests themselves are the job's models
(`conversations.job_requests`): the API parses them, the job stores them, the worker reads them."""

from __future__ import annotations

from typing import Literal

from convoscope.api.schemas.common import Wire, present
from convoscope.conversations.submit import Submission
from convoscope.tables import Job, JobStatus


class SubmitResponse(Wire):
    conversationId: str
    jobId: str

    @classmethod
    def of(cls, submission: Submission) -> SubmitResponse:
        return cls(conversationId=submission.conversation_id, jobId=submission.job_id)


class JobResponse(Wire):
    """A job's status as Symbl's clients read it.

    A job waiting in the queue is `in_progress`: Symbl answered that from submission on, and its
    published samples poll while the status is `in_progress` and read the conversation as soon as it
    is anything else. Whether the job still waits shows in `GET /v1/conversations/{id}/jobs`.
    """

    id: str
    status: Literal["in_progress", "completed", "failed"]
    message: str | None = None

    @classmethod
    def of(cls, job: Job) -> JobResponse:
        """A failed job says why; no other job has a message."""
        failure = job.message if job.status == JobStatus.FAILED else None
        return cls(id=job.id, status=wire_status(job.status), **present(message=failure))


def wire_status(status: str) -> Literal["in_progress", "completed", "failed"]:
    """The status the Job API and the webhooks report: never `scheduled`."""
    if status == JobStatus.COMPLETED:
        return "completed"
    if status == JobStatus.FAILED:
        return "failed"
    return "in_progress"


class LanguageList(Wire):
    """The `languageCode` values a media submit accepts, in Symbl's order."""

    languages: list[str]
