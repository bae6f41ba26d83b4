"""Who speaks when, found on a core the speech decoder has just left idle.

Diarization needs the audio only; the words are needed only to label them. The decoding streams
finish unevenly: on 2 minutes of speech two streams decode five batches, and one core idled for
the last batch (1.7-2.2 s of an 11 s transcription), after which diarization ran alone. So a
window's speakers are found in a thread of its own from the moment a decoding stream has nothing
left to take (`BatchQueue`'s `when_idle`), and the words are labelled once both are done. Where no
stream idles (one stream, short speech), it starts when transcription ends, as before.

Started beside the decoder, it has one core (`Cores`); once transcription ends, also the cores idle
then, on which its networks' remaining batches run side by side (`workers.py`): a 10-minute window
is not left on one core for most of its diarization.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from typing import Generic, Protocol, TypeVar, runtime_checkable

import numpy as np

from convoscope.pipeline.idle_cores import idle_cores
from convoscope.pipeline.types import Word
from convoscope.pipeline.workers import Cores

Found = TypeVar("Found")


@runtime_checkable
class SpeakersAhead(Protocol):
    """An `AssignSpeakers` callback in two steps: `find` (audio only) and `label` (the words)."""

    ahead: bool  # False: find after transcription, as a plain callback

    def find(self, audio: np.ndarray, cores: Cores | None = None) -> object: ...

    def label(self, found: object, audio: np.ndarray, words: list[Word]) -> list[Word]: ...


class Ahead(Generic[Found]):
    """`find(audio, cores)` on a thread of its own from `start()`, or `find(audio, None)` in the
    caller at `result()`."""

    def __init__(self, find: Callable[[np.ndarray, Cores | None], Found], audio: np.ndarray) -> None:
        self._find = find
        self._audio = audio
        self._cores = Cores(1)  # the stream that idled
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._found: list[Found] = []  # one value once found
        self._error: BaseException | None = None

    def start(self) -> None:
        """Start finding now (once; later calls do nothing). Cheap: decoding streams call it."""
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="speakers-ahead", daemon=True)
                self._thread.start()

    def _run(self) -> None:
        try:
            self._found.append(self._find(self._audio, self._cores))
        except BaseException as error:  # raised again in the thread that asks for the result
            self._error = error

    def wait(self) -> None:
        """Wait for a finding already started (e.g. when transcription failed); never starts one."""
        with self._lock:
            thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join()

    def result(self) -> Found:
        """What `find` found: started earlier and awaited, or run here if nothing started it."""
        with self._lock:
            thread = self._thread
            if thread is None:  # no stream idled: find here, as after transcription
                self._thread = threading.current_thread()
        if thread is None:
            return self._find(self._audio, None)
        if thread.is_alive():  # the cores idle now join the one it runs on
            idle = idle_cores()
            self._cores.grow_to(min(os.cpu_count() or 1, 1 + int((idle or 0.0) + 0.5)))
        thread.join()
        if self._error is not None:
            raise self._error
        return self._found[0]
