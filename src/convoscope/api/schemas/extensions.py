"""Shapes of the endpoints beyond Symbl's API that the web UI and the CLI use."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from convoscope.api.schemas.common import Wire
from convoscope.api.schemas.conversations import ConversationOut
from convoscope.conversations.lenient import Between, RequestModel
from convoscope.conversations.media_timeline import MediaSpan
from convoscope.conversations.search import SearchHit
from convoscope.tables import Job, JobStatus, Member
from convoscope.timeutil import to_iso

MAX_SEARCH_CHARS = 200  # every word becomes a condition of the query


class MediaLinkOut(Wire):
    """A signed URL of one job's media, good for `expiresIn` seconds."""

    url: str
    expiresIn: int


class JobOut(Wire):
    """One job of a conversation, with where its media sits on the conversation's timeline."""

    id: str
    kind: str
    status: str
    message: str | None
    created: str | None
    finished: str | None
    hasMedia: bool
    mediaOffset: float | None = None
    mediaDuration: float | None = None

    @classmethod
    def of(cls, job: Job, span: MediaSpan | None) -> JobOut:
        placed = {"mediaOffset": span.offset, "mediaDuration": span.duration} if span else {}
        return cls(
            id=job.id,
            kind=job.kind,
            status=job.status,
            message=job.message if job.status == JobStatus.FAILED else None,
            created=to_iso(job.created_at),
            finished=to_iso(job.finished_at),
            hasMedia=span is not None,
            **placed,
        )


class JobList(Wire):
    jobs: list[JobOut]


class SearchQuery(RequestModel):
    q: Annotated[str, Field(max_length=MAX_SEARCH_CHARS)] = ""
    limit: Annotated[int, Between(1, 100, integer=True)] = 20
    offset: Annotated[int, Between(0, 2**31, integer=True)] = 0


class SearchHitOut(ConversationOut):
    snippet: str | None  # text around the first spoken match; null when only the name matched

    @classmethod
    def of_hit(cls, hit: SearchHit, members: list[Member]) -> SearchHitOut:
        found = ConversationOut.of(hit.conversation, members)
        return cls(**found.model_dump(exclude_unset=True), snippet=hit.snippet)


class SearchResults(Wire):
    conversations: list[SearchHitOut]
    total: int
