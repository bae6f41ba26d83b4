"""The one queue the decoding streams of a recording take their batches from.

A stream takes the next batch as soon as it is free, so a stream that drew easier chunks takes over
work instead of waiting for the others. Speech a batch dropped goes to the front of the queue.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable

from convoscope.pipeline.speech_batches import Batch


class BatchQueue:
    """Batches waiting for a stream; `take` waits while a stream that may add work is still busy.

    With nothing pending before any first pass has ended, `take` hands out the tail of a
    first-pass batch in flight (built by `tail_of`). Later, a batch in flight may be nearly done,
    and a tail that outlasts it would make the recording wait. `when_idle` is called once, the
    first time a stream has to wait with nothing to take: from then on a core is free until the
    end (unless a batch in flight drops speech), which other work of the job can use.
    """

    def __init__(
        self,
        batches: list[Batch],
        tail_of: Callable[[Batch], Batch | None] = lambda batch: None,
        when_idle: Callable[[], None] | None = None,
    ) -> None:
        self._pending = deque(batches)
        self._busy = 0
        self._failed = False
        self._changed = threading.Condition()
        self._tail_of = tail_of
        self._untailed: list[Batch] = []  # first-pass batches in flight, latest last
        self._tails: dict[Batch, Batch] = {}
        self._first_pass_ended = False
        self._when_idle = when_idle

    def take(self) -> Batch | None:
        """The next batch for a free stream; None when all is decoded or a stream failed."""
        with self._changed:
            while not self._failed:
                if self._pending:
                    self._busy += 1
                    batch = self._pending.popleft()
                    if batch.kind == "first":
                        self._untailed.append(batch)
                    return batch
                if not self._busy:
                    return None
                if (tail := self._next_tail()) is not None:
                    self._busy += 1
                    return tail
                if (idle := self._when_idle) is not None:
                    self._when_idle = None
                    idle()
                self._changed.wait()
            return None

    def _next_tail(self) -> Batch | None:
        while self._untailed and not self._first_pass_ended:
            batch = self._untailed.pop()  # the latest started: the furthest from its end
            if (tail := self._tail_of(batch)) is not None:
                self._tails[batch] = tail
                return tail
        return None

    def finished(self, batch: Batch) -> Batch | None:
        """`batch` is decoded (call before `done`): no tail starts from now on; its tail, if any."""
        with self._changed:
            if batch.kind == "first":
                self._first_pass_ended = True
            return self._tails.pop(batch, None)

    def done(self, again: list[Batch]) -> None:
        """A stream finished a batch; `again` (dropped speech) goes first, so it is not left for last."""
        with self._changed:
            self._busy -= 1
            self._pending.extendleft(reversed(again))
            self._changed.notify_all()

    def fail(self) -> None:
        """A stream failed: every stream stops taking work."""
        with self._changed:
            self._failed = True
            self._changed.notify_all()
