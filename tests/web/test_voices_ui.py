"""The voice library page in a real browser: add a voice from a recording, rename it, delete it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.fixtures.browser import ConsoleErrors
from tests.fixtures.diarization import conv2_turns_wav
from tests.fixtures.servers import LiveServer
from tests.fixtures.settings import APP_ID, APP_SECRET

pytestmark = pytest.mark.slow


def test_add_rename_and_delete_a_voice(
    page: Any, server: LiveServer, console: ConsoleErrors, tmp_path: Path
) -> None:
    sample = tmp_path / "alice.wav"
    sample.write_bytes(conv2_turns_wav(range(1, 4), {"sb_spk1"}))  # one real voice, about 8 s
    page.goto(server.url + "/#/login")
    page.fill("#app-id", APP_ID)
    page.fill("#app-secret", APP_SECRET)
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Conversations").wait_for()

    page.click("nav a:has-text('Voices')")
    page.get_by_role("heading", name="Voices").wait_for()
    page.get_by_text("No voices yet.").wait_for()
    page.fill("#voice-name", "Alice")
    page.fill("#voice-email", "alice@example.com")
    page.set_input_files("#voice-file", str(sample))
    page.click("button:has-text('Add voice')")
    page.locator("td", has_text="alice@example.com").wait_for(timeout=60_000)

    page.once("dialog", lambda dialog: dialog.accept("Alice Ng"))
    page.click("button:has-text('Rename')")
    page.locator("td", has_text="Alice Ng").wait_for()

    page.once("dialog", lambda dialog: dialog.accept())
    page.click("button:has-text('Delete')")
    page.get_by_text("No voices yet.").wait_for()
    assert "voiceprint" not in page.content().lower()
    assert not console
