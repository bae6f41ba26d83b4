"""An OpenAI-style transcription sent to an API node is run by a worker node: the request waits on
one machine while the job runs on another, through the shared queue, and nothing is left afterwards."""

from __future__ import annotations

import openai
import pytest

from tests.fixtures.cluster import MakeCluster
from tests.fixtures.paths import SHARED_DATA

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.slow]


def test_an_api_node_answers_what_a_worker_node_transcribed(make_cluster: MakeCluster) -> None:
    deployment = make_cluster(CONVOSCOPE_ASR_MODEL="tiny.en")
    api = deployment.start_api()  # --no-worker: it cannot run the job itself
    worker = deployment.start_worker()
    deployment.wait_ready()
    client = openai.OpenAI(
        api_key=deployment.token(api), base_url=f"{api.url}/v1", max_retries=0, timeout=300
    )
    with (SHARED_DATA / "jfk.flac").open("rb") as audio:
        text = client.audio.transcriptions.create(file=audio, model="whisper-1", response_format="text")
    assert "ask not what your country can do for you" in text.lower().replace(",", "")
    worker_events = {event.get("event") for event in worker.events()}
    api_events = {event.get("event") for event in api.events()}
    assert "job.transcription.done" in worker_events and "job.transcription.done" not in api_events
    assert deployment.sql("SELECT count(*) FROM jobs")[0][0] == 0
    assert deployment.sql("SELECT count(*) FROM conversations")[0][0] == 0
