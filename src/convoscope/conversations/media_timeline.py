"""A conversation's jobs as the UI sees them, and where each job's media sits on its timeline.

Appended media continues the conversation's timeline where the previous media ended (see
`jobs.media_processor`), so a message at `t` seconds plays in the completed media job whose
`[mediaOffset, mediaOffset + mediaDuration)` holds `t`. Durations are read from the files' headers.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from convoscope.errors import NotFound
from convoscope.pipeline import decode, isolated
from convoscope.storage import MediaStore
from convoscope.tables import Job, JobStatus

# ffmpeg demuxer names (as `decode.probe` reports them) -> what a browser's <audio>/<video> expects.
_MIME_BY_FORMAT = {
    "flac": "audio/flac",
    "wav": "audio/wav",
    "mp3": "audio/mpeg",
    "ogg": "audio/ogg",
    "aac": "audio/aac",
    "aiff": "audio/aiff",
    "amr": "audio/amr",
    "ac3": "audio/ac3",
    "asf": "audio/x-ms-wma",
    "matroska,webm": "video/webm",
    "mov,mp4,m4a,3gp,3g2,mj2": "video/mp4",
}


class MediaNotFound(NotFound):
    default_message = "The job has no media file."


@dataclass(frozen=True)
class MediaSpan:
    offset: float  # seconds on the conversation's timeline where the job's media starts
    duration: float


def conversation_jobs(session: Session, conversation_id: str) -> list[Job]:
    return list(
        session.scalars(select(Job).where(Job.conversation_id == conversation_id).order_by(Job.position))
    )


def media_spans(store: MediaStore, jobs: list[Job]) -> dict[str, MediaSpan]:
    """Timeline spans of the completed media jobs (in submission order) whose files are still stored:
    where the job placed its recording, or (jobs stored before that was kept) the files' lengths
    added up."""
    spans: dict[str, MediaSpan] = {}
    clock = 0.0
    for job in jobs:
        if job.kind == "text" or job.status != JobStatus.COMPLETED or not job.media_path:
            continue
        if job.media_offset is not None and job.media_duration is not None:
            offset, duration = float(job.media_offset), float(job.media_duration)
        else:
            info = _probe(store.path(job.media_path))
            if info is None:
                continue
            offset, duration = clock, info.duration
        if not store.path(job.media_path).is_file():
            continue
        spans[job.id] = MediaSpan(offset=round(offset, 3), duration=round(duration, 3))
        clock = offset + duration
    return spans


def media_file(store: MediaStore, job: Job) -> tuple[Path, str]:
    """The job's media file and its content type; 404 when there is none."""
    if not job.media_path:
        raise MediaNotFound()
    path = store.path(job.media_path)
    info = _probe(path)
    if info is None:
        raise MediaNotFound()
    fallback = "video/mp4" if job.kind == "video" else "application/octet-stream"
    mime = _MIME_BY_FORMAT.get(info.format, fallback)
    if mime == "video/mp4" and job.kind == "audio":
        mime = "audio/mp4"
    return path, mime


def _probe(path: Path) -> decode.MediaInfo | None:
    try:
        return isolated.probe(path, max_duration=None, max_channels=None)
    except decode.MediaError:
        return None
