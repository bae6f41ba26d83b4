"""The OpenAI-compatible speech API driven by the official `openai` client against a live server:
every response format on real speech, word and segment timestamps, language, prompt and
temperature, translation, and that nothing of a request stays behind.

One server (Whisper `base`, which translates) for the module, so the model loads once; the client
authenticates with a long-lived API key. The shapes of the answers do not depend on the database and
queue, so only the first tests also run on PostgreSQL + Redis.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import openai
import pytest
from sqlalchemy import func, select

from convoscope import api_keys
from convoscope.services import Services
from convoscope.tables import Conversation, Job, Message
from tests.fixtures.hostile_media import silent_flac, truncated_mp3
from tests.fixtures.paths import SHARED_DATA
from tests.fixtures.servers import LiveServer
from tests.fixtures.settings import make_settings

pytestmark = pytest.mark.slow  # Whisper base on real speech

JFK = SHARED_DATA / "jfk.flac"
HARVARD = SHARED_DATA / "conv2_harvard.wav"
# German speech: the second half of faster-whisper's tests/data/multilingual.mp3 (see data/README.md).
GERMAN = Path(__file__).parent / "data" / "german_license.mp3"
JFK_WORDS = (
    "and so my fellow americans ask not what your country can do for you ask what you can do for your country"
)


def words_of(text: str) -> list[str]:
    return re.sub(r"[^\w' ]", " ", text.lower().replace("-", " ")).split()


def services_of(server: LiveServer) -> Services:
    services: Services = server.server.config.app.state.services
    return services


@pytest.fixture(scope="module")
def server(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with LiveServer(make_settings(tmp_path_factory.mktemp("openai"))) as live:
        yield live


@pytest.fixture(scope="module")
def client(server: LiveServer) -> openai.OpenAI:
    with services_of(server).db.session() as session:
        key = api_keys.create_key(session, "test-app", name="openai tests").key
    return openai.OpenAI(api_key=key, base_url=f"{server.url}/v1", max_retries=0, timeout=300)


@pytest.fixture
def sqlite_only(backend: str) -> None:
    if backend != "sqlite":
        pytest.skip("the answer's shape does not depend on the backend: checked on SQLite")


def transcribe(client: openai.OpenAI, path: Path = JFK, **options: Any) -> Any:
    with path.open("rb") as audio:
        return client.audio.transcriptions.create(file=audio, model="whisper-1", **options)


def stored_counts(server: LiveServer) -> tuple[int, int, int, int]:
    services = services_of(server)
    with services.db.session() as session:
        counts = tuple(
            int(session.scalar(select(func.count()).select_from(table)) or 0)
            for table in (Conversation, Job, Message)
        )
    media = services.settings.media_dir
    files = len(list(media.iterdir())) if media.exists() else 0
    return (*counts, files)  # type: ignore[return-value]


def test_json_is_the_default_and_accurate(client: openai.OpenAI, server: LiveServer) -> None:
    before = stored_counts(server)
    transcription = transcribe(client)
    assert words_of(transcription.text) == JFK_WORDS.split()
    assert transcription.usage is not None and transcription.usage.seconds == 11
    assert stored_counts(server) == before  # nothing of the request is kept


def test_text_srt_and_vtt(client: openai.OpenAI, sqlite_only: None) -> None:
    text = transcribe(client, response_format="text")
    assert isinstance(text, str) and words_of(text) == JFK_WORDS.split()

    srt = transcribe(client, response_format="srt")
    cues = re.findall(r"(\d+)\n(\d\d:\d\d:\d\d,\d{3}) --> (\d\d:\d\d:\d\d,\d{3})\n(.+)\n", srt)
    assert [int(number) for number, *_ in cues] == list(range(1, len(cues) + 1))
    assert words_of(" ".join(cue[3] for cue in cues)) == JFK_WORDS.split()
    assert cues[0][1] < cues[-1][2] <= "00:00:11,100"

    vtt = transcribe(client, response_format="vtt")
    assert vtt.startswith("WEBVTT\n\n")
    times = re.findall(r"(\d\d:\d\d:\d\d\.\d{3}) --> (\d\d:\d\d:\d\d\.\d{3})", vtt)
    assert len(times) == len(cues) and all(start < end for start, end in times)


def test_verbose_json_segments_by_default(client: openai.OpenAI, sqlite_only: None) -> None:
    verbose = transcribe(client, response_format="verbose_json")
    assert verbose.language == "english" and 10.9 < verbose.duration < 11.1
    assert verbose.words is None and verbose.segments
    assert words_of(" ".join(s.text for s in verbose.segments)) == JFK_WORDS.split()
    for number, segment in enumerate(verbose.segments):
        assert segment.id == number and 0 <= segment.start < segment.end <= verbose.duration
        assert segment.tokens and segment.temperature == 0.0 and segment.no_speech_prob == 0.0
        assert -1.0 < segment.avg_logprob <= 0.0 and 0.5 < segment.compression_ratio < 2.4
    raw = verbose.model_dump()
    assert raw["task"] == "transcribe"  # not in the client's model, but in OpenAI's answer


def test_word_and_segment_timestamps_follow_the_speech(client: openai.OpenAI, sqlite_only: None) -> None:
    """Harvard sentences read by two speakers with 0.4 s gaps: each reference turn's words are
    found inside its time span, and each turn is one segment with about its span."""
    turns = json.loads((SHARED_DATA / "conv2_harvard.segments.json").read_text())
    verbose = transcribe(
        client, HARVARD, response_format="verbose_json", timestamp_granularities=["word", "segment"]
    )
    words = verbose.words or []
    assert [w.start for w in words] == sorted(w.start for w in words)
    assert all(0 <= w.start <= w.end <= verbose.duration and w.word == w.word.strip(".,?! ") for w in words)
    found = 0
    for turn in turns:  # a word timed into the wrong turn, or into a gap, is not found in its own
        inside = {
            word
            for w in words
            if turn["start"] - 0.2 <= (w.start + w.end) / 2 <= turn["end"] + 0.2
            for word in words_of(w.word)
        }
        expected = set(words_of(turn["text"]))
        assert len(expected & inside) >= 0.6 * len(expected), (turn, sorted(inside))
        found += len(expected & inside)
    assert found >= 0.9 * sum(len(set(words_of(t["text"]))) for t in turns)
    segments = verbose.segments or []
    matched = [
        t for t in turns
        if any(abs(s.start - t["start"]) < 0.5 and abs(s.end - t["end"]) < 0.6 for s in segments)
    ]  # fmt: skip
    assert len(matched) >= 10, [(s.start, s.end, s.text) for s in segments]


def test_word_granularity_alone_gives_words_without_segments(
    client: openai.OpenAI, sqlite_only: None
) -> None:
    verbose = transcribe(client, response_format="verbose_json", timestamp_granularities=["word"])
    assert verbose.segments is None
    assert [w.word.lower() for w in verbose.words or []] == JFK_WORDS.split()


def test_language_prompt_and_temperature(client: openai.OpenAI, sqlite_only: None) -> None:
    """Sampling from 0.4 (Whisper's sequential decoder) with an English prompt still gets the words."""
    verbose = transcribe(
        client,
        response_format="verbose_json",
        language="en",
        prompt="President Kennedy's inaugural address, 1961.",
        temperature=0.4,
    )
    assert verbose.language == "english"
    assert all(segment.temperature == 0.4 for segment in verbose.segments or [])
    spoken = set(words_of(verbose.text))
    assert len(spoken & set(JFK_WORDS.split())) >= 12


def test_german_speech_is_recognised_in_german(client: openai.OpenAI, sqlite_only: None) -> None:
    verbose = transcribe(client, GERMAN, response_format="verbose_json")
    assert verbose.language == "german"
    assert {"software", "recht", "verwenden", "veröffentlichen"} <= set(words_of(verbose.text.lower()))


@pytest.mark.filterwarnings("ignore:deprecated:DeprecationWarning")  # the client's note on whisper-1
def test_translation_turns_german_speech_into_english(client: openai.OpenAI, sqlite_only: None) -> None:
    with GERMAN.open("rb") as audio:
        verbose = client.audio.translations.create(
            file=audio, model="whisper-1", response_format="verbose_json"
        )
    spoken = set(words_of(verbose.text))
    assert {"software", "right", "use", "copy"} <= spoken, verbose.text
    assert not spoken & {"und", "der", "die", "recht", "verwenden"}, verbose.text
    assert verbose.language == "english" and verbose.model_dump()["task"] == "translate"
    assert verbose.segments and all(s.end <= verbose.duration + 0.1 for s in verbose.segments)


def test_access_tokens_work_as_well_as_api_keys(server: LiveServer) -> None:
    token = httpx.post(
        f"{server.url}/oauth2/token:generate",
        json={"type": "application", "appId": "test-app", "appSecret": "test-secret-0123456789"},
    ).json()["accessToken"]
    with_token = openai.OpenAI(api_key=token, base_url=f"{server.url}/v1", max_retries=0)
    assert words_of(transcribe(with_token, response_format="text")) == JFK_WORDS.split()


def test_silence_is_an_empty_transcript(client: openai.OpenAI, tmp_path: Path, sqlite_only: None) -> None:
    silence = silent_flac(tmp_path / "silence.flac", 5)
    verbose = client.audio.transcriptions.create(
        file=("silence.flac", silence),
        model="whisper-1",
        response_format="verbose_json",
        timestamp_granularities=["word", "segment"],
    )
    assert verbose.text == "" and verbose.segments == [] and verbose.words == []
    assert 4.9 < verbose.duration < 5.1


def test_a_file_damaged_past_its_headers_fails_in_the_worker_as_400(
    client: openai.OpenAI, server: LiveServer, sqlite_only: None
) -> None:
    """Its headers pass the check at upload; decoding fails in the worker, and the job's failure is
    the answer."""
    before = stored_counts(server)
    with pytest.raises(openai.BadRequestError) as raised:
        client.audio.transcriptions.create(file=("cut.mp3", truncated_mp3()), model="whisper-1")
    error = raised.value.response.json()["error"]
    assert error["param"] == "file" and "truncated or damaged" in error["message"]
    assert stored_counts(server) == before


def test_kept_requests_become_conversations(tmp_path: Path, sqlite_only: None) -> None:
    """With `openai.keep`, a request is a conversation like any: listed, with its messages, insights
    and media."""
    settings = make_settings(tmp_path / "data", asr={"model": "tiny.en"}, openai={"keep": True})
    with LiveServer(settings) as live:
        with services_of(live).db.session() as session:
            key = api_keys.create_key(session, "test-app").key
        client = openai.OpenAI(api_key=key, base_url=f"{live.url}/v1", max_retries=0)
        assert words_of(transcribe(client, response_format="text")) == JFK_WORDS.split()
        auth = {"x-api-key": key}
        listed = httpx.get(f"{live.url}/v1/conversations", headers=auth).json()["conversations"]
        assert [c["name"] for c in listed] == ["jfk.flac"]
        base = f"{live.url}/v1/conversations/{listed[0]['id']}"
        messages = httpx.get(f"{base}/messages", headers=auth).json()["messages"]
        assert words_of(" ".join(m["text"] for m in messages)) == JFK_WORDS.split()
        (job,) = httpx.get(f"{base}/jobs", headers=auth).json()["jobs"]
        deadline = time.monotonic() + 120
        while httpx.get(f"{live.url}/v1/job/{job['id']}", headers=auth).json()["status"] != "completed":
            assert time.monotonic() < deadline, "insights never finished"
            time.sleep(0.2)
        assert httpx.get(f"{base}/topics", headers=auth).status_code == 200
        assert httpx.get(f"{base}/media/{job['id']}", headers=auth).content == JFK.read_bytes()
