"""The media store: uploaded and downloaded media files under the data dir.

Files are written under a temporary name and renamed when complete, so a reader never sees a half
file; paths stored in the database are relative to the store's root, so a shared mount can sit at a
different path on each machine.
"""

from __future__ import annotations

import errno
import os
from collections.abc import AsyncIterator
from pathlib import Path
from typing import BinaryIO

import structlog

from convoscope.errors import BadRequest, InsufficientStorage, PayloadTooLarge
from convoscope.ids import uuid_id

log = structlog.get_logger(__name__)

# Errors that mean "no room": a full disk, or a quota reached.
_NO_SPACE = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})


class MediaStore:
    def __init__(self, root: Path) -> None:
        self.root = root

    def new_key(self, suffix: str = "") -> str:
        return f"{uuid_id()}{suffix}"

    def path(self, key: str) -> Path:
        resolved = (self.root / key).resolve()
        if self.root.resolve() not in resolved.parents:
            raise ValueError(f"media key outside the store: {key!r}")
        return resolved

    async def save_stream(self, chunks: AsyncIterator[bytes], max_bytes: int) -> str:
        """Write a request body to a new file chunk by chunk; 413 over `max_bytes`, 400 when empty,
        507 when the disk is full. Whatever happens, no partial file stays behind."""
        self.root.mkdir(parents=True, exist_ok=True)
        key = self.new_key()
        final = self.path(key)
        partial = final.with_name(f".{final.name}.part")
        size = 0
        try:
            with partial.open("wb") as handle:
                async for chunk in chunks:
                    size += len(chunk)
                    if size > max_bytes:
                        raise PayloadTooLarge(f"Media is larger than the limit of {max_bytes} bytes.")
                    self._write(handle, chunk)
            if size == 0:
                raise BadRequest("The request body is empty: send the media file's bytes as the body.")
            os.replace(partial, final)
        except OSError as exc:
            if exc.errno not in _NO_SPACE:
                raise
            log.error("media.store_full", root=str(self.root), bytes_received=size, error=str(exc))
            raise InsufficientStorage() from exc
        finally:
            partial.unlink(missing_ok=True)
        return key

    def _write(self, handle: BinaryIO, chunk: bytes) -> None:
        handle.write(chunk)

    def delete(self, key: str | None) -> None:
        if key:
            self.path(key).unlink(missing_ok=True)
