"""The media store: uploaded and downloaded media files under the data dir.

Files are written under a temporary name and renamed when complete, so a reader never sees a half
file; paths stored in the database are relative to the store's root, so a shared mount can sit at a
different path on each machine.
"""

from __future__ import annotations

import errno
import os
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

import structlog

from convoscope.errors import BadRequest, InsufficientStorage, PayloadTooLarge
from convoscope.ids import uuid_id

log = structlog.get_logger(__name__)

# Errors that mean "no room": a full disk, or a quota reached.
_NO_SPACE = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})
_DOWNLOAD_TAG = ".job-"


class MediaStore:
    def __init__(self, root: Path) -> None:
        self.root = root

    def new_key(self, suffix: str = "") -> str:
        return f"{uuid_id()}{suffix}"

    def download_key(self, job_id: str) -> str:
        """A key for media a job downloads: it names the job, so that a sweep for files no row
        points at leaves the download of a job still running alone (`job_of`)."""
        return self.new_key(f"{_DOWNLOAD_TAG}{job_id}")

    @staticmethod
    def job_of(key: str) -> str | None:
        """The job whose download `key` is (`download_key`), else None."""
        _, tag, job_id = key.partition(_DOWNLOAD_TAG)
        return job_id if tag else None

    def files(self) -> Iterator[tuple[str, float]]:
        """(name, modification time) of each file in the store, partial files included."""
        if not self.root.is_dir():
            return
        for path in self.root.iterdir():
            try:
                if path.is_file():
                    yield path.name, path.stat().st_mtime
            except FileNotFoundError:  # removed meanwhile
                continue

    def path(self, key: str) -> Path:
        resolved = (self.root / key).resolve()
        if self.root.resolve() not in resolved.parents:
            raise ValueError(f"media key outside the store: {key!r}")
        return resolved

    @contextmanager
    def writer(self, max_bytes: int) -> Iterator[MediaWriter]:
        """A new media file to write piece by piece (`MediaWriter`): 413 past `max_bytes`, 507 when
        the disk is full. Unless it is committed inside the block, no file stays behind."""
        self.root.mkdir(parents=True, exist_ok=True)
        writer = MediaWriter(self, max_bytes)
        try:
            yield writer
        except OSError as exc:
            if exc.errno not in _NO_SPACE:
                raise
            log.error("media.store_full", root=str(self.root), bytes_received=writer.size, error=str(exc))
            raise InsufficientStorage() from exc
        finally:
            writer.discard()

    async def save_stream(self, chunks: AsyncIterator[bytes], max_bytes: int) -> str:
        """Write a request body to a new file chunk by chunk; 413 over `max_bytes`, 400 when empty,
        507 when the disk is full. Whatever happens, no partial file stays behind."""
        with self.writer(max_bytes) as writer:
            async for chunk in chunks:
                writer.write(chunk)
            if writer.size == 0:
                raise BadRequest("The request body is empty: send the media file's bytes as the body.")
            return writer.commit()

    def _write(self, handle: BinaryIO, chunk: bytes) -> None:
        handle.write(chunk)

    def delete(self, key: str | None) -> None:
        if key:
            self.path(key).unlink(missing_ok=True)

    @contextmanager
    def removed_on_error(self, key: str | None) -> Iterator[None]:
        """Delete the media file `key` if the block fails: the rows that would point at it were not
        stored, so nothing else ever would."""
        try:
            yield
        except BaseException:
            self.delete(key)
            raise


class MediaWriter:
    """One media file being written (`MediaStore.writer`): the bytes go to a hidden partial file that
    `commit` renames into place under the returned key."""

    def __init__(self, store: MediaStore, max_bytes: int) -> None:
        self._store = store
        self.max_bytes = max_bytes
        self.key = store.new_key()
        self._final = store.path(self.key)
        self._partial = self._final.with_name(f".{self._final.name}.part")
        self._handle: BinaryIO | None = None  # opened by the first write
        self._done = False
        self.size = 0

    def _open(self) -> BinaryIO:
        if self._done:
            raise ValueError("the media file is already committed or discarded")
        if self._handle is None:
            self._handle = self._partial.open("wb")
        return self._handle

    def write(self, chunk: bytes) -> None:
        self.size += len(chunk)
        if self.size > self.max_bytes:
            raise PayloadTooLarge(f"Media is larger than the limit of {self.max_bytes} bytes.")
        self._store._write(self._open(), chunk)

    def commit(self) -> str:
        self._open().close()
        self._done = True
        os.replace(self._partial, self._final)
        return self.key

    def discard(self) -> None:
        """Drop what was written unless it was committed (safe to call again)."""
        self._done = True
        if self._handle is not None:
            self._handle.close()
        self._partial.unlink(missing_ok=True)
