"""Speakers found beside the decoder's last batches (`speakers_ahead`) against after transcription."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest

from convoscope.pipeline.diarize import DiarizationResult
from convoscope.pipeline.diarize.tracker import SpeakerTracker
from convoscope.pipeline.models.pool import ModelPool
from convoscope.pipeline.recognize import process_media
from convoscope.pipeline.speakers_ahead import Ahead
from convoscope.pipeline.transcribe import TranscriptionOptions
from convoscope.pipeline.workers import Cores
from tests.fixtures.paths import SHARED_DATA

pytestmark = pytest.mark.slow


class _Watched(SpeakerTracker):
    """A tracker that notes the thread each window's speakers were found on."""

    threads_seen: list[str]

    def find(self, audio: np.ndarray, cores: Cores | None = None) -> DiarizationResult:
        self.threads_seen.append(threading.current_thread().name)
        return super().find(audio, cores)


def _tracker(ahead: bool) -> _Watched:
    tracker = _Watched(ahead=ahead)
    tracker.threads_seen = []
    return tracker


def test_speakers_found_beside_the_last_batch_label_the_words_as_after_it(
    speech_pool: ModelPool, encoder: None
) -> None:
    two_streams = ModelPool(speech_pool.models_dir, default_model="tiny.en", streams=2, cpu_threads=1)
    options = TranscriptionOptions(model="tiny.en", language="en")
    path = SHARED_DATA / "pyannote_sample.wav"
    ahead, after = _tracker(True), _tracker(False)
    found_ahead = process_media(path, options, two_streams, assign_speakers=ahead)
    found_after = process_media(path, options, two_streams, assign_speakers=after)
    assert ahead.threads_seen == ["speakers-ahead"]  # a stream idled while the other decoded
    assert after.threads_seen == [threading.current_thread().name]
    speakers = [(w.text, w.speaker) for s in found_ahead.sentences for w in s.words]
    assert speakers == [(w.text, w.speaker) for s in found_after.sentences for w in s.words]
    assert len({speaker for _, speaker in speakers}) == 2
    assert ahead.voiceprints() == after.voiceprints() and ahead.overlaps == after.overlaps


def test_finding_runs_in_the_caller_when_nothing_started_it_and_errors_reach_the_caller() -> None:
    audio = np.zeros(16, dtype=np.float32)
    here = Ahead(lambda a, cores: (threading.current_thread().name, len(a), cores), audio)
    assert here.result() == (threading.current_thread().name, 16, None)  # the tracker picks threads

    def fails(_: np.ndarray, cores: Cores | None) -> int:
        raise ValueError("no speech model")

    started = Ahead(fails, audio)
    started.start()
    started.start()  # once
    with pytest.raises(ValueError, match="no speech model"):
        started.result()
    waited = Ahead(lambda a, cores: Path("x"), audio)
    waited.wait()  # never started: returns at once and starts nothing
    assert waited.result() == Path("x")
