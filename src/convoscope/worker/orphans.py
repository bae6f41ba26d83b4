"""Media files that no job row points at: left behind by a process that died between writing a
file and storing the row that names it (an upload, a download, a bleep being written). A worker
sweeps them when it starts.

A file younger than the grace period is left alone: an upload is committed a moment before its row,
and a partial file is still being written. A job's download names its job (`MediaStore.download_key`)
and stays while that job is scheduled or running, however long ago it was fetched.
"""

from __future__ import annotations

import time
from datetime import timedelta

import structlog
from sqlalchemy import select

from convoscope.db import Database
from convoscope.storage import MediaStore
from convoscope.tables import ACTIVE_STATUSES, Job

log = structlog.get_logger(__name__)

ORPHAN_GRACE = timedelta(hours=1)
_TEMPORARY_ENDINGS = (".part", ".bleeping")
_BATCH = 500  # keys per query


def sweep_orphan_media(db: Database, store: MediaStore, grace: timedelta = ORPHAN_GRACE) -> int:
    """Delete the files older than `grace` that no job points at; returns how many were deleted."""
    cutoff = time.time() - grace.total_seconds()
    old = [name for name, mtime in store.files() if mtime < cutoff]
    if not old:
        return 0
    temporary = [name for name in old if _is_temporary(name)]
    candidates = [name for name in old if not _is_temporary(name)]
    with db.session() as session:
        referenced: set[str | None] = set()
        for start in range(0, len(candidates), _BATCH):
            batch = candidates[start : start + _BATCH]
            referenced.update(session.scalars(select(Job.media_path).where(Job.media_path.in_(batch))))
        downloads = {job_id for name in candidates if (job_id := store.job_of(name))}
        running = set(
            session.scalars(select(Job.id).where(Job.id.in_(downloads), Job.status.in_(ACTIVE_STATUSES)))
        )
    orphans = [name for name in candidates if name not in referenced and store.job_of(name) not in running]
    for name in temporary + orphans:
        store.delete(name)
    if temporary or orphans:
        log.warning("media.orphans_swept", files=len(orphans), partial_files=len(temporary))
    return len(temporary) + len(orphans)


def _is_temporary(name: str) -> bool:
    """A partial upload or download, or a bleeped copy being written (`storage`, `fetch`, `bleep`)."""
    return name.startswith(".") or name.endswith(_TEMPORARY_ENDINGS)
