"""Shared pieces of the performance benchmarks: test audio, a real server, one job end to end.

Every measured variant runs in a fresh `spawn`ed process (`in_child`), so its peak RSS is its own and
the variants of one run can be interleaved (robust to other load on a shared machine).
"""

from __future__ import annotations

import logging
import os
import sys
import tempfile
import threading
import time
import wave
from collections.abc import Iterator, MutableMapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO

import httpx
import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench" / "asr"))

from common import in_child as in_child  # noqa: E402  (re-exported; bench/asr is on the path from here)
from tests.fixtures.hooks import HookReceiver  # noqa: E402  (the repository is on the path from here)

DATA = Path(os.environ.get("CONVOSCOPE_SHARED_DATA", ROOT.parent / "shared" / "data"))
SR = 16_000
CLIPS = ("jfk.flac", "conv2_harvard.wav", "osr_us_000_0034_8k.wav", "pyannote_sample.wav", "hotwords.mp3")


def header() -> str:
    load = os.getloadavg()
    return f"cores={os.cpu_count()} load average {load[0]:.1f}/{load[1]:.1f}/{load[2]:.1f}"


def write_wav(path: Path, audio: np.ndarray) -> Path:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(SR)
        w.writeframes((np.clip(audio, -1, 1) * 32767).astype("<i2").tobytes())
    return path


def joined(path: Path, seconds: float, clips: tuple[str, ...] = CLIPS, gap: str = "dense") -> Path:
    """Clips joined until `seconds`: gaps of 0.3 s (`dense`) or 1.5-4 s of room noise (`paused`)."""
    from convoscope.pipeline import decode

    rng = np.random.default_rng(0)
    decoded = [decode.decode(DATA / name) for name in clips]
    target = int(seconds * SR)
    parts: list[np.ndarray] = []
    total = i = 0
    while total < target:
        pause = 0.3 if gap == "dense" else float(rng.uniform(1.5, 4.0))
        silence = (rng.standard_normal(int(pause * SR)) * 0.002).astype(np.float32)
        parts += [decoded[i % len(decoded)], silence]
        total += decoded[i % len(decoded)].shape[0] + silence.shape[0]
        i += 1
    return write_wav(path, np.concatenate(parts)[:target])


def each_length(minutes: list[float], child: Any, *args: Any) -> Iterator[tuple[float, Any]]:
    """(minutes, `child(path, *args)`) for each length: the clips joined to it, `child` in a fresh
    process (so each length's memory is its own), the recording removed after it."""
    with tempfile.TemporaryDirectory() as tmp:
        for length in minutes:
            path = joined(Path(tmp) / f"{length:g}min.wav", length * 60)
            row = in_child(child, str(path), *args)
            path.unlink()
            yield length, row


def quiet() -> None:
    import structlog

    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))


class Events:
    """Collects structlog events of this process (the runner's and process_media's step timings)."""

    def __init__(self) -> None:
        self.items: list[dict[str, Any]] = []
        self._lock = threading.Lock()

    def install(self) -> None:
        import structlog

        def keep(_logger: Any, _name: str, event: MutableMapping[str, Any]) -> dict[str, Any]:
            with self._lock:
                self.items.append({**event, "t": time.monotonic()})
            raise structlog.DropEvent

        structlog.configure(
            processors=[keep],
            wrapper_class=structlog.make_filtering_bound_logger(logging.INFO),
            cache_logger_on_first_use=False,
        )

    def for_job(self, job_id: str) -> list[dict[str, Any]]:
        with self._lock:
            return [e for e in self.items if e.get("job_id") == job_id]

    def named(self, name: str) -> list[dict[str, Any]]:
        with self._lock:
            return [e for e in self.items if e.get("event") == name]


class Client:
    """A token-holding HTTP client of one live server."""

    def __init__(self, url: str, app_id: str, secret: str, data_dir: Path | None = None) -> None:
        self.data_dir = data_dir
        self.http = httpx.Client(base_url=url, timeout=600)
        body = {"type": "application", "appId": app_id, "appSecret": secret}
        token = self.http.post("/oauth2/token:generate", json=body).json()["accessToken"]
        self.auth = {"Authorization": f"Bearer {token}"}

    def submit(self, path: Path, **params: str) -> dict[str, Any]:
        with path.open("rb") as body:  # streamed: the client must not hold the file in this process
            response = self.http.post(
                "/v1/process/audio",
                content=_chunks(body),
                params=params,
                headers={**self.auth, "Content-Type": "audio/wav" if path.suffix == ".wav" else ""},
            )
        response.raise_for_status()
        return dict(response.json())

    def wait(self, job_id: str, timeout: float = 7200, poll: float = 0.05) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            body: dict[str, Any] = self.http.get(f"/v1/job/{job_id}", headers=self.auth).json()
            if body["status"] in ("completed", "failed"):
                return body
            time.sleep(poll)
        raise TimeoutError(job_id)

    def run(self, path: Path, **params: str) -> tuple[float, dict[str, Any]]:
        """Upload to `completed`: wall seconds and the submit ids."""
        started = time.monotonic()
        ids = self.submit(path, **params)
        job = self.wait(ids["jobId"])
        took = time.monotonic() - started
        if job["status"] != "completed":
            raise RuntimeError(f"job failed: {job}")
        return took, ids

    def run_hooked(self, path: Path, hooks: HookReceiver, **params: str) -> tuple[float, dict[str, Any]]:
        """Upload to the `completed` status callback (`webhookUrl`; the test settings allow loopback),
        no polling: wall seconds and the submit ids."""
        started = time.monotonic()
        ids = self.submit(path, webhookUrl=hooks.url, **params)
        status = hooks.final_status(ids["jobId"])
        took = time.monotonic() - started
        if status != "completed":
            raise RuntimeError(f"job {ids['jobId']} {status}: {self.wait(ids['jobId'])}")
        return took, ids

    def text(self, conversation_id: str) -> str:
        body = self.http.get(f"/v1/conversations/{conversation_id}/messages", headers=self.auth).json()
        return " ".join(m["text"] for m in body["messages"])

    def messages(self, conversation_id: str) -> list[dict[str, Any]]:
        body = self.http.get(f"/v1/conversations/{conversation_id}/messages", headers=self.auth).json()
        return list(body["messages"])


def _chunks(body: BinaryIO, size: int = 1 << 20) -> Iterator[bytes]:
    while block := body.read(size):
        yield block


@contextmanager
def live_server(*, warm: bool = True, **overrides: Any) -> Iterator[tuple[Client, Events]]:
    """The real app (uvicorn, embedded SQLite + SqliteHuey worker) on loopback, models warmed.

    With `warm=False` nothing is waited for (e.g. `run_worker=False`, workers started elsewhere).
    """
    from tests.fixtures.servers import LiveServer
    from tests.fixtures.settings import APP_ID, APP_SECRET, make_settings

    models = Path(os.environ.get("CONVOSCOPE_MODELS_DIR", ROOT / "data" / "models"))
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        data.mkdir()
        (data / "models").symlink_to(models.resolve())
        values: dict[str, Any] = {
            "worker": {"preload_models": True},
            "log": {"level": "info"},
            "limits": {"media_seconds": 3 * 3600},
        }
        for section, fields in overrides.items():
            values[section] = {**values.get(section, {}), **fields}
        settings = make_settings(data, **values)
        with LiveServer(settings) as server:
            events = Events()
            events.install()
            client = Client(server.url, APP_ID, APP_SECRET, data)
            if not warm:
                yield client, events
                return
            # Wait for the worker's warm-up thread, not for its log event: the event can come before
            # `events.install()` above (the app configures logging as it starts), and then the wait
            # ran its whole 600 s.
            deadline = time.monotonic() + 600
            while _warming_up() and time.monotonic() < deadline:
                time.sleep(0.1)
            client.run(DATA / "jfk.flac")  # first job: everything lazily built is built now
            yield client, events


def _warming_up() -> bool:
    """Whether this process's model warm-up thread (`jobs.processors`) is still running."""
    return any(thread.name == "model-warm-up" for thread in threading.enumerate())


def rss_now() -> float:
    """This process's resident memory now, in MB (from /proc)."""
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def rss_sampler(stop: threading.Event, peak: list[float], every: float = 0.05) -> None:
    """Sample this process's RSS (MB) until `stop`; peak[0] keeps the largest."""
    while True:  # at least one sample, even when `stop` is already set
        peak[0] = max(peak[0], rss_now())
        if stop.wait(every):
            return
