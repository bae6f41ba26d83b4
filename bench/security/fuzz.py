"""The long schemathesis run: every operation of the real server's OpenAPI schema, many cases each.

Seeds a data dir with one real text job, then serves it on a loopback port without a worker (so no
generated URL is fetched and no webhook sent) and fuzzes it with a real token. Prints the number of
cases, the status codes seen and every failure (a 5xx, or an answer outside its schema); exits 1 when
there is any.

"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from tests.fixtures.conversations import seed_conversation
from tests.fixtures.fuzzing import fuzz
from tests.fixtures.servers import LiveServer
from tests.fixtures.settings import APP_ID, APP_SECRET, make_settings


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=100, help="cases per operation and mode")
    parser.add_argument("--seed", type=int, default=None, help="derandomise (same cases every run)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="convoscope-fuzz-") as tmp:
        data_dir = Path(tmp) / "data"
        print("seeding a conversation with a real job ...", flush=True)
        ids = seed_conversation(data_dir)
        settings = make_settings(
            data_dir,
            server={"run_worker": False},
            limits={"requests_per_minute": 10**7, "concurrent_jobs": 10**6},
            openai={"wait_seconds": 1},  # no worker runs: a transcription that got through must not wait
        )
        with LiveServer(settings) as server:
            token = httpx.post(
                f"{server.url}/oauth2/token:generate",
                json={"type": "application", "appId": APP_ID, "appSecret": APP_SECRET},
            ).json()["accessToken"]
            print(f"fuzzing {server.url} with {args.examples} cases per operation and mode", flush=True)
            report = fuzz(server.url, token, ids, args.examples, seed=args.seed)
    print(report.summary())
    print("statuses:", dict(sorted(report.statuses.items())))
    print(f"cases={report.cases} failures={len(report.failures)}")
    return 1 if report.failures else 0


if __name__ == "__main__":
    sys.exit(main())
