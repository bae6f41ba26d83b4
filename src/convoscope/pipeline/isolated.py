"""Native media code run in a child process, so that a crash in it costs one file, never the server.

FFmpeg (through PyAV) parses whatever a tenant uploads; a bug in it, or in PyAV, can kill the process
it runs in. Probing, decoding and bleeping therefore run in a child: a crash there ends as a
`DecoderCrashedError` (a `MediaError`, so the job fails at once with a clear message) and the
server goes on. A child that takes longer than its time limit is killed (`DecodeTimeoutError`).

A job's file is probed and decoded by one child (`probed_frames`): one process start a file, not two.
Children are forked from a `forkserver` that has already imported PyAV and numpy, so one costs a
few milliseconds, not an interpreter start (`bench/security/isolation_overhead.py` measures it).
Decoded audio comes back through a pipe in blocks of about a second; the child decodes only as
fast as the parent reads, so the time limit counts the time the parent waits for audio, never
the time it spends transcribing.
"""

from __future__ import annotations

import dataclasses
import json
import multiprocessing
import signal
import struct
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from multiprocessing.connection import Connection
from multiprocessing.context import ForkServerContext
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import structlog

from convoscope.pipeline import decode
from convoscope.pipeline.media_errors import BY_NAME, DecoderCrashedError, DecodeTimeoutError, MediaError

log = structlog.get_logger(__name__)

T = TypeVar("T")

# Modules the fork server imports once, so that each child starts with them loaded; `child_start`
# keeps the children from running the program's main module again (0.6 s a child under `convoscope`).
# A target must therefore be importable from a module other than `__main__`.
PRELOAD = [
    "convoscope.pipeline.child_start",
    "numpy",
    "av",
    "convoscope.pipeline.decode",
    "convoscope.pipeline.bleep",
]
BLOCK_SAMPLES = decode.SAMPLE_RATE  # samples per channel in one message from a decoding child
PROBE_TIMEOUT = 60.0  # seconds; a probe reads headers, at most demuxes packets
_BLOCK, _ERROR, _DONE, _INFO = b"B", b"E", b"D", b"I"
_context: ForkServerContext | None = None


def context() -> ForkServerContext:
    global _context
    if _context is None:
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(PRELOAD)
        _context = ctx
    return _context


def call(function: Callable[..., T], *args: Any, timeout: float | None, **kwargs: Any) -> T:
    """`function(*args, **kwargs)` in a child process; its result (or its `MediaError`) comes back.

    `function` must be importable by name (a module-level function) and its result picklable.
    Raises `DecoderCrashedError` when the child dies, `DecodeTimeoutError` past `timeout` seconds.
    """
    ctx = context()
    receiver, sender = ctx.Pipe(duplex=False)
    process = ctx.Process(target=_call_child, args=(sender, function, args, kwargs), daemon=True)
    process.start()
    sender.close()
    try:
        kind, payload = _receive(receiver, process, timeout, timeout, raw=False)
        if kind == _ERROR:
            raise _error(payload)
        return payload
    finally:
        _end(receiver, process)


def probe(
    path: str | Path,
    *,
    max_duration: float | None = decode.DEFAULT_MAX_DURATION,
    max_channels: int | None = decode.DEFAULT_MAX_CHANNELS,
    timeout: float | None = PROBE_TIMEOUT,
) -> decode.MediaInfo:
    """`decode.probe` in a child process."""
    return call(
        decode.probe, str(path), max_duration=max_duration, max_channels=max_channels, timeout=timeout
    )


def iter_frames(
    path: str | Path,
    *,
    split_channels: bool = False,
    timeout: float | None = decode.DEFAULT_DECODE_TIMEOUT,
    max_duration: float | None = decode.DEFAULT_MAX_DURATION,
    max_channels: int | None = decode.DEFAULT_MAX_CHANNELS,
) -> Iterator[np.ndarray]:
    """`decode.iter_frames`, decoded in a child process (blocks of about `BLOCK_SAMPLES`).

    `timeout` bounds the total time spent waiting for the child's audio.
    """
    options = (split_channels, max_duration, max_channels)
    receiver, process = _start(frames_target(), path, options)
    started = time.monotonic()
    try:
        yield from _blocks(receiver, process, timeout)
    finally:
        _end(receiver, process)
    log.debug("media.decoded_in_child", took=round(time.monotonic() - started, 3))


@contextmanager
def probed_frames(
    path: str | Path,
    *,
    separate_channels: bool = False,
    timeout: float | None = decode.DEFAULT_DECODE_TIMEOUT,
    max_duration: float | None = decode.DEFAULT_MAX_DURATION,
    max_channels: int | None = decode.DEFAULT_MAX_CHANNELS,
) -> Iterator[tuple[decode.MediaInfo, Iterator[np.ndarray]]]:
    """`probe` and `iter_frames` in one child: (the file's `MediaInfo`, its audio blocks).

    One process start a file instead of two. The channels are split when `separate_channels` and the
    file has several (as `decode.probed_frames`, which also refuses them when too long together);
    `max_duration` is then the limit on all of them. The child is gone when the block ends.
    """
    options = (separate_channels, max_duration, max_channels)
    receiver, process = _start(probed_frames_target(), path, options)
    try:
        message = _receive(receiver, process, PROBE_TIMEOUT, PROBE_TIMEOUT, raw=True)
        kind, payload = message[:1], message[1:]
        if kind == _ERROR:
            raise _error(json.loads(payload))
        if kind != _INFO:
            raise DecoderCrashedError("the media could not be decoded (the decoder sent no headers)")
        yield decode.MediaInfo(**json.loads(payload)), _blocks(receiver, process, timeout)
    finally:
        _end(receiver, process)


def _start(
    target: Callable[..., None], path: str | Path, options: tuple[Any, ...]
) -> tuple[Connection, BaseProcess]:
    """A child running `target(sender, path, options)`, and the end of its pipe we read."""
    ctx = context()
    receiver, sender = ctx.Pipe(duplex=False)
    process = ctx.Process(target=target, args=(sender, str(path), options), daemon=True)
    process.start()
    sender.close()
    return receiver, process


def _blocks(receiver: Connection, process: BaseProcess, timeout: float | None) -> Iterator[np.ndarray]:
    """The audio blocks a child sends until it is done; `timeout` bounds the time waited for them."""
    waited = 0.0
    while True:
        mark = time.monotonic()
        remaining = None if timeout is None else timeout - waited
        message = _receive(receiver, process, remaining, timeout, raw=True)
        waited += time.monotonic() - mark
        kind, payload = message[:1], message[1:]
        if kind == _DONE:
            return
        if kind == _ERROR:
            raise _error(json.loads(payload))
        (channels,) = struct.unpack_from("<H", payload)
        yield np.frombuffer(payload, dtype=np.float32, offset=2).reshape(channels, -1)


def frames_target() -> Callable[[Connection, str, tuple[bool, float | None, int | None]], None]:
    """The function a decoding child runs (a seam: tests put a crashing one here)."""
    return decode_to_pipe


def probed_frames_target() -> Callable[[Connection, str, tuple[bool, float | None, int | None]], None]:
    """The function a probing and decoding child runs (a seam, as `frames_target`)."""
    return probe_and_decode_to_pipe


def decode_to_pipe(sender: Connection, path: str, options: tuple[bool, float | None, int | None]) -> None:
    """Body of a decoding child: blocks of audio, then done or the error, down `sender`."""
    split, max_duration, max_channels = options
    with _reported(sender, path):
        blocks = decode.iter_frames(
            path, split_channels=split, timeout=None, max_duration=max_duration, max_channels=max_channels
        )
        _send_blocks(sender, blocks)


def probe_and_decode_to_pipe(
    sender: Connection, path: str, options: tuple[bool, float | None, int | None]
) -> None:
    """Body of a probing and decoding child: the headers (`MediaInfo` as JSON), then as
    `decode_to_pipe`; or the error of either step."""
    separate, max_duration, max_channels = options
    with _reported(sender, path):
        info, blocks = decode.probed_frames(
            path,
            separate_channels=separate,
            timeout=None,
            max_duration=max_duration,
            max_channels=max_channels,
        )
        sender.send_bytes(_INFO + json.dumps(dataclasses.asdict(info)).encode())
        _send_blocks(sender, blocks)


@contextmanager
def _reported(sender: Connection, path: str) -> Iterator[None]:
    """A child's body: its `MediaError`, or any other error as an unnamed one, goes down `sender`,
    and the pipe is closed at the end."""
    try:
        yield
    except MediaError as exc:
        sender.send_bytes(_ERROR + json.dumps({"kind": type(exc).__name__, "message": str(exc)}).encode())
    except Exception as exc:  # a bug or an unexpected library error: the parent fails the file
        log.exception("media.decode_failed", path=Path(path).name)
        sender.send_bytes(_ERROR + json.dumps({"kind": "", "message": f"{type(exc).__name__}"}).encode())
    finally:
        sender.close()


def _send_blocks(sender: Connection, blocks: Iterator[np.ndarray]) -> None:
    """Decoded `blocks` regrouped into messages of about `BLOCK_SAMPLES`, then done."""
    pending: list[np.ndarray] = []
    count = 0
    for block in blocks:
        pending.append(block)
        count += block.shape[1]
        if count >= BLOCK_SAMPLES:
            _send_block(sender, pending)
            pending, count = [], 0
    if pending:
        _send_block(sender, pending)
    sender.send_bytes(_DONE)


def _send_block(sender: Connection, blocks: list[np.ndarray]) -> None:
    joined = np.concatenate(blocks, axis=1).astype(np.float32, copy=False)
    sender.send_bytes(_BLOCK + struct.pack("<H", joined.shape[0]) + joined.tobytes())


def _call_child(
    sender: Connection, function: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]
) -> None:
    try:
        result: tuple[bytes, Any] = (_DONE, function(*args, **kwargs))
    except MediaError as exc:
        result = (_ERROR, {"kind": type(exc).__name__, "message": str(exc)})
    except Exception as exc:
        log.exception("media.child_failed", function=getattr(function, "__name__", "?"))
        result = (_ERROR, {"kind": "", "message": type(exc).__name__})
    try:
        sender.send(result)
    finally:
        sender.close()


def _receive(
    receiver: Connection,
    process: BaseProcess,
    remaining: float | None,
    limit: float | None,
    *,
    raw: bool,
) -> Any:
    """The child's next message; raises when it died, or when `remaining` seconds pass first
    (`limit`, the whole time limit, is what the message says)."""
    if remaining is not None and (remaining <= 0 or not receiver.poll(remaining)):
        raise DecodeTimeoutError(f"decoding took longer than {limit or 0:.0f} s")
    try:
        return receiver.recv_bytes() if raw else receiver.recv()
    except (EOFError, OSError):  # the child closed the pipe without a last word: it died
        process.join(5)
        raise _crashed(process.exitcode) from None


def _crashed(exitcode: int | None) -> DecoderCrashedError:
    cause = f"signal {signal.Signals(-exitcode).name}" if exitcode and exitcode < 0 else f"exit {exitcode}"
    log.error("media.decoder_crashed", exitcode=exitcode, cause=cause)
    return DecoderCrashedError(
        f"the media could not be decoded: the decoder crashed on this file ({cause}); it cannot be processed"
    )


def _error(payload: dict[str, str]) -> MediaError:
    cls = BY_NAME.get(payload.get("kind", ""), DecoderCrashedError)
    if cls is DecoderCrashedError:
        return DecoderCrashedError(f"the media could not be decoded ({payload.get('message', 'error')})")
    return cls(payload.get("message", ""))


def _end(receiver: Connection, process: BaseProcess) -> None:
    """Close the pipe and make sure the child is gone (killed when still decoding)."""
    receiver.close()
    if process.is_alive():
        process.kill()
    process.join(5)
