"""A short schemathesis run against the real server: no 5xx, no answer outside its schema.

The server runs without its worker, so that no generated URL is ever fetched and no webhook sent;
the data it serves was made beforehand by a real job. The longer run is `bench/security/fuzz.py`.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import requests

from tests.fixtures.fuzzing import CHECKS, fuzz, operations
from tests.fixtures.servers import LiveServer
from tests.fixtures.settings import make_settings

pytestmark = pytest.mark.slow

EXAMPLES_PER_MODE = 6


@pytest.mark.usefixtures("loopback_only")
def test_schema_fuzzing_finds_no_server_error_and_no_schema_violation(
    seeded: tuple[Path, dict[str, list[str]]],
) -> None:
    data_dir, ids = seeded
    settings = make_settings(
        data_dir,
        server={"run_worker": False},
        limits={"requests_per_minute": 10**6, "concurrent_jobs": 20},
        openai={"wait_seconds": 1},  # no worker runs: a transcription that got through must not wait long
    )
    with LiveServer(settings) as server:
        token = _token(server.url)
        report = fuzz(server.url, token, ids, EXAMPLES_PER_MODE, seed=1)
    print(report.summary(), report.statuses)
    assert report.cases >= 250
    assert not report.failures, report.summary()
    assert report.statuses.get(200, 0) >= 50  # reads of the seeded conversation
    assert report.statuses.get(201, 0) >= 5  # accepted submits


def _token(base_url: str) -> str:
    import httpx

    from tests.fixtures.settings import APP_ID, APP_SECRET

    response = httpx.post(
        f"{base_url}/oauth2/token:generate",
        json={"type": "application", "appId": APP_ID, "appSecret": APP_SECRET},
    )
    assert response.status_code == 200, response.text
    return str(response.json()["accessToken"])


@pytest.mark.usefixtures("loopback_only")
def test_the_checks_catch_an_answer_outside_its_schema(tmp_path: Path) -> None:
    """The run above proves something only if the checks can fail: feed them a wrong answer."""
    with LiveServer(make_settings(tmp_path / "data", server={"run_worker": False})) as server:
        found = {f"{op.method.upper()} {op.path}": op for op in operations(server.url)}
        case = found["GET /v1/conversations/{conversationId}/questions"].Case(
            path_parameters={"conversationId": "1"}
        )
        url = f"{server.url}/v1/conversations/1/questions"
        response = requests.Response()
        response.status_code, response.url = 200, url
        response.headers["Content-Type"] = "application/json"
        response._content = json.dumps({"questions": [{"id": "1", "text": "?", "extra": True}]}).encode()
        response.request = requests.Request("GET", url).prepare()
        with pytest.raises(BaseExceptionGroup, match="violates schema"):
            case.validate_response(response, checks=CHECKS)
