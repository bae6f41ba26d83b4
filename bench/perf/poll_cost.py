"""CPU of one authenticated poll: `GET /v1/job/{id}` and `GET /v1/conversations/{id}`.

    .venv/bin/python bench/perf/poll_cost.py [--requests 2000] [--rounds 3] [--profile 25]
        [--tree main=/tmp/polls-main/src] [--tree here=src]

Each round starts, for each source tree in turn (a fresh process whose PYTHONPATH puts that tree
first), the real app under uvicorn on loopback (embedded SQLite, no worker, so a submitted job stays
`in_progress`), takes a token, submits jfk.flac and GETs the job's status and its conversation
`--requests` times each over one keep-alive connection. It prints the CPU ms of the whole process
(server loop, its thread pool and the client) per request, the client's thread alone in brackets;
the best round of each tree is kept and the trees' ratio printed. `--profile N` also prints the N
costliest functions of a job poll's authentication and lookup, called directly (cProfile sees one
thread only, and the server's run in others).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


def child(requests: int, profile: int) -> dict[str, Any]:
    """In the process of one tree: the CPU ms per job poll and per conversation GET."""
    sys.path.insert(0, str(ROOT))
    import httpx
    from perfkit import DATA, quiet
    from tests.fixtures.servers import LiveServer
    from tests.fixtures.settings import APP_ID, APP_SECRET, make_settings

    with tempfile.TemporaryDirectory() as tmp:
        settings = make_settings(
            Path(tmp) / "data",
            server={"run_worker": False},
            limits={"requests_per_minute": 10**9},
        )
        with LiveServer(settings) as server, httpx.Client(base_url=server.url, timeout=60) as http:
            quiet()
            body = {"type": "application", "appId": APP_ID, "appSecret": APP_SECRET}
            token = http.post("/oauth2/token:generate", json=body).json()["accessToken"]
            headers = {"Authorization": f"Bearer {token}"}
            submitted = http.post(
                "/v1/process/audio",
                content=(DATA / "jfk.flac").read_bytes(),
                headers={**headers, "Content-Type": "audio/flac"},
            ).json()
            paths = {
                "job": f"/v1/job/{submitted['jobId']}",
                "conversation": f"/v1/conversations/{submitted['conversationId']}",
            }
            result: dict[str, Any] = {}
            for name, path in paths.items():
                for _ in range(max(50, requests // 10)):  # warm-up: pools, caches, lazy imports
                    http.get(path, headers=headers).raise_for_status()
                started, client_started = time.process_time(), time.thread_time()
                for _ in range(requests):
                    http.get(path, headers=headers).raise_for_status()
                result[name] = (time.process_time() - started) * 1000 / requests
                result[f"{name}_client"] = (time.thread_time() - client_started) * 1000 / requests
            if profile:  # the server's threads are out of cProfile's sight: call its pieces here
                from convoscope.api.deps import credential_app_id
                from convoscope.conversations.queries import own_job

                services = server.server.config.app.state.services
                profiler = cProfile.Profile()
                profiler.enable()
                for _ in range(requests):
                    app_id = credential_app_id(services, token)
                    with services.db.session() as session:
                        own_job(session, app_id, submitted["jobId"])
                profiler.disable()
                out = io.StringIO()
                pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(profile)
                result["profile"] = out.getvalue()
            return result


def run_tree(src: str, requests: int, profile: int) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([src, str(ROOT), str(ROOT / "bench" / "perf")])}
    command = [sys.executable, __file__, "--child", "--requests", str(requests), "--profile", str(profile)]
    done = subprocess.run(command, env=env, check=True, capture_output=True, text=True)
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--profile", type=int, default=0, help="print the N costliest functions")
    parser.add_argument("--tree", action="append", help="NAME=SRC_DIR (default: here=src)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.requests, args.profile)))
        return
    trees = dict(t.split("=", 1) for t in (args.tree or [f"here={ROOT / 'src'}"]))
    load = os.getloadavg()
    print(f"cores={os.cpu_count()} load average {load[0]:.1f}/{load[1]:.1f}/{load[2]:.1f}")
    best: dict[str, dict[str, float]] = {}
    for round_ in range(args.rounds):
        for name, src in trees.items():  # interleaved: load changes hit every tree alike
            last = round_ == args.rounds - 1
            row = run_tree(src, args.requests, args.profile if last else 0)
            print(f"round {round_ + 1} {name:>8}: job {row['job']:.3f} ms (client "
                  f"{row['job_client']:.3f})  conversation {row['conversation']:.3f} ms (client "
                  f"{row['conversation_client']:.3f}) CPU/request", flush=True)  # fmt: skip
            if "profile" in row:
                print(row["profile"])
            for kind in ("job", "conversation"):
                best.setdefault(name, {})[kind] = min(best.get(name, {}).get(kind, 1e9), row[kind])
    for name, row in best.items():
        print(f"best {name:>8}: job {row['job']:.3f} ms  conversation {row['conversation']:.3f} ms")
    if len(best) == 2:
        (a, ra), (b, rb) = best.items()
        for kind in ("job", "conversation"):
            print(f"{kind}: {b}/{a} = {rb[kind] / ra[kind]:.2f}")
    load = os.getloadavg()
    print(f"load average after {load[0]:.1f}/{load[1]:.1f}/{load[2]:.1f}")


if __name__ == "__main__":
    main()
