"""Short jobs on the server as its users start it: the `convoscope serve` command, not an app built
inside the benchmark (whose main module is the benchmark script, cheap to import again).

    .venv/bin/python bench/perf/cli_job.py --src src /tmp/old/src [--seconds 15] [--rounds 3]

Each round starts `convoscope serve` once per `--src` tree (its `convoscope` package first on the
path; a fresh data dir, models warmed by one job of jfk.flac), then runs one job (upload to
`completed`, diarization off) of each file: the clips joined to `--seconds` with 0.3 s gaps
(`dense`) and with 1.5-4 s pauses (`paused`). The trees alternate first between rounds; medians
and the per-round ratios (measured side by side) are printed with the load average.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from perfkit import DATA, ROOT, Client, header, joined

APP_ID, APP_SECRET = "bench-app", "bench-secret-0123456789"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def run_server(src: str, files: dict[str, Path], model: str) -> dict[str, float]:
    """Seconds from upload to `completed` for each file, on a fresh `convoscope serve` of `src`."""
    models = Path(os.environ.get("CONVOSCOPE_MODELS_DIR", ROOT / "data" / "models")).resolve()
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        data.mkdir()
        (data / "models").symlink_to(models)
        port = _free_port()
        env = {
            **os.environ,
            "PYTHONPATH": str(Path(src).resolve()),
            "CONVOSCOPE_DATA_DIR": str(data),
            "CONVOSCOPE_APP_ID": APP_ID,
            "CONVOSCOPE_APP_SECRET": APP_SECRET,
            "CONVOSCOPE_ASR_MODEL": model,
            "CONVOSCOPE_LOG_LEVEL": "warning",
        }
        # The console script beside this interpreter: its main module is what a user's server runs.
        command = [str(Path(sys.executable).parent / "convoscope"), "serve", "--host", "127.0.0.1"]
        server = subprocess.Popen(
            [*command, "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            _wait_healthy(url)
            client = Client(url, APP_ID, APP_SECRET)
            client.run(DATA / "jfk.flac")  # models loaded, insights warmed: what a warm-up would do
            time.sleep(1.0)  # the worker is idle, as a server between jobs is
            return {kind: client.run(path)[0] for kind, path in files.items()}
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=60)


def _wait_healthy(url: str, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise TimeoutError(url)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--src", nargs="+", required=True, help="source trees' `src` folders")
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--model", default="base")
    args = parser.parse_args()
    print(f"cli_job model={args.model} {args.seconds:g} s {header()}", flush=True)
    times: dict[tuple[str, str], list[float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        files = {
            kind: joined(Path(tmp) / f"{kind}.wav", args.seconds, gap=kind) for kind in ("dense", "paused")
        }
        for rnd in range(args.rounds):
            shift = rnd % len(args.src)
            for src in args.src[shift:] + args.src[:shift]:
                for kind, seconds in run_server(src, files, args.model).items():
                    times.setdefault((src, kind), []).append(seconds)
                    print(f"  round {rnd + 1} {src} {kind:<6} {seconds:6.2f} s", flush=True)
            print(f"  round {rnd + 1} done ({header()})", flush=True)
    print(f"medians of {args.rounds} rounds ({header()}):")
    for kind in files:
        for src in args.src:
            runs = times[(src, kind)]
            ratios = {
                other: statistics.median(a / b for a, b in zip(times[(other, kind)], runs, strict=True))
                for other in args.src
                if other != src
            }
            vs = [f"  vs {other} {ratio:.2f}x" for other, ratio in ratios.items()]
            spread = f"{min(runs):.2f}-{max(runs):.2f}"
            print(f"  {kind:<6} {src}  {statistics.median(runs):6.2f} s (range {spread}){''.join(vs)}")


if __name__ == "__main__":
    main()
