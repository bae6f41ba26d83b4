"""Per-app media storage quota (`limits.storage_bytes`): the bytes of the media an app's jobs keep.

Usage is the sum of the stored sizes of the media its jobs point at (`Job.media_bytes`), so deleting
a conversation frees its share at once. A submit checks it after `submit._reserve_job_slot` has
locked the app's row, so two uploads of one app cannot both slip under the quota. A URL download's
size is known only once the worker has fetched it: a URL submit is refused when the quota is
already used up, and the download counts from then on.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from convoscope.errors import PayloadTooLarge
from convoscope.services import Services
from convoscope.tables import Job


def media_usage(session: Session, app_id: str) -> int:
    """Bytes of media the app's jobs keep in the store."""
    used = session.scalar(
        select(func.coalesce(func.sum(Job.media_bytes), 0)).where(
            Job.app_id == app_id, Job.media_path.is_not(None)
        )
    )
    return int(used or 0)


def check_quota(session: Session, app_id: str, incoming: int, quota: int) -> None:
    """413 when `incoming` more bytes would take the app past `quota` (0: no quota)."""
    if not quota:
        return
    used = media_usage(session, app_id)
    if used + incoming > quota or (incoming == 0 and used >= quota):
        raise PayloadTooLarge(
            f"This app's media storage quota is {quota} bytes and {used} are in use; this media "
            f"({incoming} bytes) does not fit. Delete conversations to free space."
            if incoming
            else f"This app's media storage quota of {quota} bytes is used up ({used} bytes in use). "
            "Delete conversations to free space."
        )


def check_room(services: Services, app_id: str, incoming: int) -> None:
    """`check_quota` in a session of its own: for a refusal before anything is stored."""
    quota = services.settings.limits.storage_bytes
    if quota:
        with services.db.session() as session:
            check_quota(session, app_id, incoming, quota)
