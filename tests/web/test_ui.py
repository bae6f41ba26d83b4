"""The web UI in a real browser: sign in, upload jfk.flac, watch the job, read the transcript and
insights, seek by clicking, rename a speaker, export, search, paste text, delete; at laptop and
phone widths, with no console errors."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from tests.fixtures.browser import LAPTOP, PHONE, ConsoleErrors, screenshot, screenshot_path
from tests.fixtures.paths import SHARED_DATA
from tests.fixtures.servers import LiveServer
from tests.fixtures.settings import APP_ID, APP_SECRET

pytestmark = pytest.mark.slow
JFK = SHARED_DATA / "jfk.flac"
HARVARD = SHARED_DATA / "conv2_harvard.wav"


def test_sign_in(page: Any, server: LiveServer, console: ConsoleErrors) -> None:
    page.goto(server.url + "/")
    page.wait_for_url(re.compile(r"#/login$"))
    screenshot(page, "login-laptop")
    page.fill("#app-id", APP_ID)
    page.fill("#app-secret", "wrong-secret")
    page.click("button[type=submit]")
    page.get_by_role("alert").filter(has_text="Wrong app id or secret").wait_for()
    console.clear()  # the browser logs the refused request (401) itself; that one is expected
    page.fill("#app-secret", APP_SECRET)
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Conversations").wait_for()
    page.get_by_text("No conversations yet").wait_for()
    token = page.evaluate("sessionStorage.getItem('convoscope.token')")
    assert token and page.evaluate("localStorage.length") == 0


def bearer(page: Any) -> dict[str, str]:
    token = page.evaluate("sessionStorage.getItem('convoscope.token')")
    return {"Authorization": f"Bearer {token}"}


def test_language_select_is_filled_from_the_server(page: Any, server: LiveServer) -> None:
    codes = httpx.get(f"{server.url}/v1/languages", headers=bearer(page)).json()["languages"]
    assert "en-US" in codes and len(codes) == len(set(codes))
    page.click("#nav a[href='#/new']")
    page.locator("#language:enabled").wait_for()
    assert page.eval_on_selector_all("#language option", "els => els.map(e => e.value)") == codes
    assert page.input_value("#language") == "en-US"
    page.click("#nav a[href='#/']")
    page.get_by_role("heading", name="Conversations").wait_for()


def test_upload_and_watch_the_job(page: Any) -> None:
    page.click("#nav a[href='#/new']")
    page.get_by_role("heading", name="New conversation").wait_for()
    page.set_input_files("#file", str(JFK))
    assert page.input_value("#name") == "jfk"
    page.fill("#name", "Inaugural address")
    page.check("#diarize")
    page.fill("#speakers", "1")
    page.fill("#trackers", "Nation: country, nation")
    screenshot(page, "new-laptop")
    page.click("button:has-text('Process')")
    page.wait_for_function("document.querySelector('#upload-progress').value === 1")
    page.wait_for_url(re.compile(r"#/c/\d+$"), timeout=300_000)
    page.get_by_role("heading", name="Inaugural address").wait_for()


def test_transcript_and_insights_are_shown(page: Any) -> None:
    transcript = page.locator("#transcript")
    transcript.locator(".sentence").first.wait_for()
    assert "country" in transcript.inner_text().lower()
    assert "Speaker 1" in transcript.locator(".speaker").first.inner_text()
    for panel in ("summary", "questions", "action-items", "follow-ups", "topics", "entities", "trackers"):
        assert page.locator(f"#panel-{panel}").is_visible(), panel
    assert "Nation" in page.locator("#panel-trackers").inner_text()
    assert page.locator("#panel-topics li").count() > 0
    assert page.locator("#analytics svg").count() == 3
    assert page.locator("#analytics rect").count() >= 3
    page.wait_for_function("document.querySelector('#player').readyState >= 1")
    screenshot(page, "conversation-laptop")


def test_clicking_a_sentence_seeks_the_player(page: Any) -> None:
    player = "document.querySelector('#player')"
    sentence = page.locator("#transcript .sentence").last
    start = float(sentence.get_attribute("data-start"))
    # Move the playhead away from the sentence first, so the click has to bring it back.
    away = start + 6 if start < 4 else 0.5
    page.evaluate(f"{player}.currentTime = {away}")
    page.wait_for_function(f"Math.abs({player}.currentTime - {away}) < 0.5")
    sentence.click()
    page.wait_for_function(f"Math.abs({player}.currentTime - {start}) < 1.5", timeout=10_000)
    page.wait_for_function("document.querySelector('#transcript .sentence.playing') !== null")
    assert "playing" in (sentence.get_attribute("class") or "")
    page.evaluate(f"{player}.pause()")
    # Keyboard: Enter on a focused sentence seeks too.
    page.evaluate(f"{player}.currentTime = {away}")
    sentence.focus()
    page.keyboard.press("Enter")
    page.wait_for_function(f"Math.abs({player}.currentTime - {start}) < 1.5")
    page.evaluate(f"{player}.pause()")


def test_rename_a_speaker_updates_the_page(page: Any) -> None:
    """A rename refetches the members, the messages and the insights that name speakers, nothing
    else, and redraws only the parts that show speakers."""
    calls: list[tuple[str, str]] = []

    def record(request: Any) -> None:
        if request.resource_type in ("fetch", "xhr"):
            calls.append((request.method, urlsplit(request.url).path))

    # Parts a rename leaves alone keep their elements: the player (it may be playing) and the
    # panels that name no speaker.
    untouched = ("#player", "#panel-summary", "#panel-topics", "#panel-entities", "#panel-trackers")
    for selector in untouched:
        page.eval_on_selector(selector, "el => { el.dataset.before = 'rename'; }")
    member_id = page.get_attribute("#speakers li[data-member]", "data-member")
    page.on("request", record)
    page.click("#speakers button:has-text('Rename')")
    field = page.locator("#speakers input")
    field.fill("President Kennedy")
    field.press("Enter")
    page.locator("#transcript .speaker", has_text="President Kennedy").first.wait_for()
    page.remove_listener("request", record)
    assert "Speaker 1" not in page.locator("#transcript").inner_text()
    assert "President Kennedy" in page.locator("#speakers").inner_text()
    assert page.evaluate("document.activeElement.textContent") == "Rename"
    # The page redraws once every answer is in, so all requests were made by now.
    conversation = urlsplit(page.url).fragment.removeprefix("/c/")
    base = f"/v1/conversations/{conversation}"
    assert sorted(calls) == sorted(
        [("PUT", f"{base}/members/{member_id}"), ("GET", f"{base}/members"), ("GET", f"{base}/messages")]
        + [("GET", f"{base}/{view}") for view in ("questions", "action-items", "follow-ups", "analytics")]
    )
    for selector in untouched:
        assert page.get_attribute(selector, "data-before") == "rename", selector


@pytest.mark.parametrize(
    ("label", "check"), [("Markdown", "President Kennedy: "), ("SRT", " --> "), ("VTT", "WEBVTT")]
)
def test_export(page: Any, label: str, check: str) -> None:
    with page.expect_download() as info:
        page.click(f"button[data-export]:has-text('{label}')")
    text = Path(info.value.path()).read_text()
    assert check in text and "country" in text.lower()


def test_export_json(page: Any) -> None:
    with page.expect_download() as info:
        page.click("button[data-export=json]")
    assert info.value.suggested_filename == "Inaugural_address.json"
    document = json.loads(Path(info.value.path()).read_text())
    assert document["messages"] and "topics" in document["insights"]


def test_conversation_at_phone_width(page: Any) -> None:
    page.set_viewport_size(PHONE)
    page.locator("#transcript .sentence").first.wait_for()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    screenshot(page, "conversation-phone")
    page.set_viewport_size(LAPTOP)


def test_list_and_search(page: Any) -> None:
    page.click("#nav a[href='#/']")
    row = page.locator("table.conversations tbody tr").first
    row.wait_for()
    assert "Inaugural address" in row.inner_text() and "President Kennedy" in row.inner_text()
    page.locator("table.conversations .badge.completed").first.wait_for()
    page.fill("#search", "ask not")
    page.keyboard.press("Enter")
    page.locator(".snippet").first.wait_for()
    assert "ask not" in page.locator(".snippet").first.inner_text().lower()
    screenshot(page, "list-laptop")
    page.set_viewport_size(PHONE)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    screenshot(page, "list-phone")
    page.set_viewport_size(LAPTOP)
    page.fill("#search", "zebra giraffe")
    page.keyboard.press("Enter")
    page.get_by_text("Nothing matches").wait_for()


def test_paste_text_then_delete_with_confirmation(page: Any) -> None:
    page.goto(page.url.split("#")[0] + "#/new")
    page.click("label[for=source-text]")
    page.fill("#text", "Ana: Can you send the report by Friday?\nBen: Yes, I will send it tomorrow.")
    page.fill("#name", "Standup notes")
    page.click("button:has-text('Process')")
    page.get_by_role("heading", name="Standup notes").wait_for(timeout=120_000)
    page.locator("#panel-action-items li").first.wait_for()
    assert "Ben" in page.locator("#panel-action-items").inner_text()
    assert page.locator("#player").count() == 0
    page.click("#delete")
    page.get_by_role("dialog").wait_for()
    page.click("dialog button:has-text('Cancel')")
    assert page.get_by_role("heading", name="Standup notes").is_visible()
    page.click("#delete")
    page.click("#confirm-delete")
    page.get_by_role("heading", name="Conversations").wait_for()
    assert "Standup notes" not in page.locator("main").inner_text()


def test_failed_job_shows_its_message(page: Any) -> None:
    page.goto(page.url.split("#")[0] + "#/new")
    page.click("label[for=source-url]")
    # The server refuses to download from loopback addresses, so this job fails.
    page.fill("#url", "http://127.0.0.1:9/meeting.wav")
    page.click("button:has-text('Process')")
    page.get_by_role("alert").filter(has_text="The job failed").wait_for(timeout=60_000)


def test_two_speakers_charts(page: Any, server: LiveServer) -> None:
    """A two-speaker recording submitted through the API, then read in the UI."""
    token = page.evaluate("sessionStorage.getItem('convoscope.token')")
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=server.url, headers=headers, timeout=60) as http:
        ids = http.post(
            "/v1/process/audio",
            params={
                "name": "Harvard sentences",
                "enableSpeakerDiarization": "true",
                "diarizationSpeakerCount": 2,
            },
            content=HARVARD.read_bytes(),
        ).json()
        deadline = time.monotonic() + 300
        while http.get(f"/v1/job/{ids['jobId']}").json()["status"] not in ("completed", "failed"):
            assert time.monotonic() < deadline
            time.sleep(0.5)
    page.goto(f"{server.url}/#/c/{ids['conversationId']}")
    page.locator("#transcript .sentence").nth(3).wait_for()
    assert page.locator("#speakers li").count() == 2
    colours = page.eval_on_selector_all(
        "#transcript .speaker", "els => new Set(els.map(e => e.style.color)).size"
    )
    assert colours == 2
    page.wait_for_function("document.querySelector('#player').readyState >= 1")
    screenshot(page, "conversation-two-speakers-laptop")
    page.set_viewport_size(PHONE)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    screenshot(page, "conversation-two-speakers-phone")
    page.locator("#analytics").screenshot(path=str(screenshot_path("analytics-phone")))
    page.set_viewport_size(LAPTOP)


def test_a_rename_that_merges_two_speakers(page: Any, server: LiveServer) -> None:
    """The page knows speaker A's email; meanwhile another client gives it to speaker B. Renaming A
    from the page then sends that email, so the server merges A into B: the page shows one speaker."""
    conversation = urlsplit(page.url).fragment.removeprefix("/c/")
    with httpx.Client(base_url=f"{server.url}/v1/conversations/{conversation}", headers=bearer(page)) as http:
        first, second = http.get("/members").json()["members"]
        assert http.put(f"/members/{first['id']}", json={**first, "email": "ana@example.com"}).is_success
        page.reload()
        page.locator("#transcript .sentence").first.wait_for()
        assert http.put(f"/members/{first['id']}", json={**first, "email": "ana@example.org"}).is_success
        assert http.put(f"/members/{second['id']}", json={**second, "email": "ana@example.com"}).is_success
    assert "2 speakers" in page.locator(".heading").inner_text()
    page.click(f"#speakers li[data-member='{first['id']}'] button")
    field = page.locator("#speakers input")
    field.fill("Ana")
    field.press("Enter")
    page.wait_for_function("document.querySelectorAll('#speakers li').length === 1")
    assert page.get_attribute("#speakers li", "data-member") == second["id"]
    assert page.evaluate("document.activeElement.closest('[data-member]').dataset.member") == second["id"]
    assert "1 speaker" in page.locator(".heading").inner_text()
    speakers = page.eval_on_selector_all(
        "#transcript .speaker", "els => [...new Set(els.map(e => e.textContent))]"
    )
    assert speakers == ["Ana"]
    colours = page.eval_on_selector_all(
        "#transcript .speaker", "els => new Set(els.map(e => e.style.color)).size"
    )
    assert colours == 1
    # The recording's sentences hold no question ("What joy there is in living." is an exclamation);
    # the imperative "Jump the fence..." is an action item with its speaker as assignee.
    assert "Assignee: Ana" in page.locator("#panel-action-items").inner_text()
    analytics = page.locator("#analytics").inner_text()
    assert "Ana" in analytics and first["name"] not in analytics and second["name"] not in analytics


def test_no_console_errors(page: Any, server: LiveServer, console: ConsoleErrors) -> None:
    assert list(console) == []
