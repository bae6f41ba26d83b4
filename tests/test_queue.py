"""The SQLite job queue: a job enqueued in the consumer's own process starts at once, not at the
consumer's next poll, and stopping does not wait for one either."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from convoscope.queue import JobQueue
from tests.fixtures.settings import make_settings

IDLE_POLL = 30.0  # seconds between polls of an idle consumer: far longer than any wait below


@pytest.fixture
def queue(tmp_path: Path) -> Iterator[tuple[JobQueue, list[tuple[str, float]], threading.Event]]:
    ran: list[tuple[str, float]] = []
    done = threading.Event()

    def handler(job_id: str) -> None:
        ran.append((job_id, time.monotonic()))
        done.set()

    queue = JobQueue(make_settings(tmp_path, queue_url=None), handler)
    yield queue, ran, done


def test_a_job_enqueued_here_wakes_the_idle_consumer(
    queue: tuple[JobQueue, list[tuple[str, float]], threading.Event],
) -> None:
    jobs, ran, done = queue
    consumer = jobs.consumer(1, first_delay=IDLE_POLL, max_delay=IDLE_POLL)
    consumer.start()
    try:
        time.sleep(0.5)  # the consumer found the queue empty and waits for its next poll
        for job_id in ("first", "second"):
            done.clear()
            enqueued = time.monotonic()
            jobs.enqueue(job_id)
            assert done.wait(IDLE_POLL / 3), f"{job_id} waited for the consumer's poll"
            assert ran[-1][0] == job_id and ran[-1][1] - enqueued < IDLE_POLL / 3
            time.sleep(0.5)
    finally:
        started = time.monotonic()
        consumer.stop(graceful=True)
    assert time.monotonic() - started < IDLE_POLL / 3  # the sleeping thread saw the stop at once


def test_a_delayed_job_still_runs(queue: tuple[JobQueue, list[tuple[str, float]], threading.Event]) -> None:
    """Re-queued jobs (`enqueue(delay=...)`) go through Huey's schedule and the usual poll."""
    jobs, ran, done = queue
    consumer = jobs.consumer(1)
    consumer.start()
    try:
        jobs.enqueue("later", delay=0.2)
        assert done.wait(10)
        assert [job_id for job_id, _ in ran] == ["later"]
    finally:
        consumer.stop(graceful=True)
