"""A pip-only install works: a fresh virtual environment, `pip install torch` (the CPU build) then
`pip install "convoscope[models]"` from this checkout, and the installed `convoscope` alone passes
`doctor`, serves, and completes an audio job and an OpenAI-style transcription with an API key.

Nothing from the development environment reaches the install (no PYTHONPATH, no CONVOSCOPE_*
variables, no editable install): what pip resolves from the package's own metadata is what runs.
CI runs it beside the test suite (`.ci/run`); by hand:

    .venv/bin/python -m tests.install.check_pip_install [--workdir DIR] [--keep]

Prints the time of each step; exits 1 naming the step that failed, with the end of its output.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from tests.fixtures.paths import JFK, REPO

APP_ID, APP_SECRET = "pip-check", "pip-check-secret-0123456789"
EXPECTED = "ask not what your country can do for you"


class StepFailed(Exception):
    pass


def clean_env(**extra: str) -> dict[str, str]:
    """The environment without anything that would let the development tree leak in."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("CONVOSCOPE_") and name not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")
    }
    return {**env, **extra}


def run(command: list[str], log: Path, timeout: float, env: dict[str, str] | None = None) -> None:
    with log.open("ab") as out:
        out.write(f"$ {' '.join(command)}\n".encode())
        out.flush()
        result = subprocess.run(
            command, stdout=out, stderr=subprocess.STDOUT, timeout=timeout, env=env or clean_env()
        )
    if result.returncode != 0:
        raise StepFailed(f"`{' '.join(command)}` exited {result.returncode}")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def server(venv: Path, data_dir: Path, log: Path) -> Iterator[str]:
    port = free_port()
    env = clean_env(
        CONVOSCOPE_APP_ID=APP_ID, CONVOSCOPE_APP_SECRET=APP_SECRET, CONVOSCOPE_LOG_LEVEL="warning"
    )
    command = [str(venv / "bin" / "convoscope"), "serve", "--port", str(port), "--data-dir", str(data_dir)]
    with log.open("ab") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 300
        while True:
            if process.poll() is not None:
                raise StepFailed(f"the server exited {process.returncode} while starting")
            try:
                if httpx.get(f"{url}/readyz", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise StepFailed("the server was not ready within 300 s")
            time.sleep(0.5)
        yield url
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()


def audio_job(url: str, key: str) -> None:
    headers = {"x-api-key": key}
    submitted = httpx.post(
        f"{url}/v1/process/audio", content=JFK.read_bytes(), headers={**headers, "Content-Type": "audio/flac"}
    )
    if submitted.status_code != 201:
        raise StepFailed(f"submit answered {submitted.status_code}: {submitted.text}")
    ids = submitted.json()
    deadline = time.monotonic() + 600
    while (status := httpx.get(f"{url}/v1/job/{ids['jobId']}", headers=headers).json())[
        "status"
    ] != "completed":
        if status["status"] == "failed" or time.monotonic() > deadline:
            raise StepFailed(f"the job did not complete: {status}")
        time.sleep(0.5)
    messages = httpx.get(f"{url}/v1/conversations/{ids['conversationId']}/messages", headers=headers).json()
    text = " ".join(m["text"] for m in messages["messages"]).lower()
    if EXPECTED not in text.replace(",", ""):
        raise StepFailed(f"unexpected transcript: {text!r}")


def openai_transcription(url: str, key: str) -> None:
    with JFK.open("rb") as audio:
        answer = httpx.post(
            f"{url}/v1/audio/transcriptions",
            headers={"Authorization": f"Bearer {key}"},
            files={"file": ("jfk.flac", audio, "audio/flac")},
            data={"model": "whisper-1", "response_format": "text"},
            timeout=600,
        )
    if answer.status_code != 200 or EXPECTED not in answer.text.lower().replace(",", ""):
        raise StepFailed(f"transcription answered {answer.status_code}: {answer.text!r}")


def check(workdir: Path, torch: str) -> list[tuple[str, float]]:
    venv, data_dir, log = workdir / "venv", workdir / "data", workdir / "install.log"
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet"]
    timings: list[tuple[str, float]] = []

    def step(name: str, action: Callable[[], None]) -> None:
        started = time.monotonic()
        print(f"-- {name}", flush=True)
        try:
            action()
        except (StepFailed, subprocess.TimeoutExpired) as exc:
            tail = log.read_text(errors="replace")[-4000:] if log.exists() else ""
            raise StepFailed(f"{name}: {exc}\n--- end of {log}:\n{tail}") from None
        timings.append((name, time.monotonic() - started))

    step("create the virtual environment", lambda: run([sys.executable, "-m", "venv", str(venv)], log, 300))
    step("pip install torch (CPU build first)", lambda: run([*pip, torch], log, 1200))
    step('pip install "convoscope[models]"', lambda: run([*pip, f"{REPO}[models]"], log, 1800))
    doctor = [str(venv / "bin" / "convoscope"), "doctor", "--data-dir", str(data_dir)]
    step("convoscope doctor", lambda: run(doctor, log, 300))
    print("-- convoscope serve, until /readyz answers 200", flush=True)
    starting = time.monotonic()
    with server(venv, data_dir, log) as url:
        timings.append(("convoscope serve, until ready", time.monotonic() - starting))
        keys = [
            str(venv / "bin" / "convoscope"),
            "apps",
            "keys",
            "create",
            APP_ID,
            "--data-dir",
            str(data_dir),
        ]
        step("convoscope apps keys create", lambda: run(keys, log, 120))
        key = next(
            line.split("=", 1)[1] for line in log.read_text().splitlines() if line.startswith("apiKey=cvs_")
        )
        step("an audio job, submitted with the key, completes", lambda: audio_job(url, key))
        step("POST /v1/audio/transcriptions", lambda: openai_transcription(url, key))
    return timings


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workdir", type=Path, help="where the venv and data go (default: a temporary dir)")
    parser.add_argument("--keep", action="store_true", help="keep the work dir afterwards")
    parser.add_argument("--torch", default="torch==2.13.0", help="what to install before convoscope")
    args = parser.parse_args()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="convoscope-pip-"))
    workdir.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    try:
        timings = check(workdir, args.torch)
    except StepFailed as exc:
        print(f"pip-only install check FAILED at {exc}", file=sys.stderr)
        return 1
    finally:
        removing = time.monotonic()
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
        cleanup = time.monotonic() - removing
    for name, seconds in [*timings, ("remove the work dir", cleanup)]:
        print(f"{seconds:8.1f} s  {name}")
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"{time.monotonic() - started:8.1f} s  in all (cpu_count={os.cpu_count()}, load average {load})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
