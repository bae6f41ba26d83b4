"""Browser tests: headless Chromium (Debian's `chromium`) driven by Playwright, against a live server.

They skip where Chromium or the `playwright` package is missing (a laptop) and run in CI.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.fixtures.browser import CHROMIUM, LAPTOP, LAUNCH_ARGS, ConsoleErrors
from tests.fixtures.servers import LiveServer
from tests.fixtures.settings import make_settings

sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
if not Path(CHROMIUM).exists():
    pytest.skip("Chromium is not installed (apt-get install chromium)", allow_module_level=True)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS, headless=True)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    # The UI tests read what the beam search makes of the Harvard clip (a line the insights take for a
    # question); greedy-first decoding words it otherwise. Decoding is not what these tests are about.
    asr = {"model": "tiny.en", "greedy_first": False}
    settings = make_settings(tmp_path_factory.mktemp("web") / "data", asr=asr)
    with LiveServer(settings) as live:
        yield live


@pytest.fixture(scope="module")
def console() -> ConsoleErrors:
    return ConsoleErrors()


@pytest.fixture(scope="module")
def page(browser: Any, server: LiveServer, console: ConsoleErrors) -> Iterator[Any]:
    """One tab for the module's tests, which build on each other like a user's session."""
    # Playwright's wait_for_function evaluates strings, which the UI's Content-Security-Policy forbids;
    # test_csp.py runs the UI under its real policy.
    context = browser.new_context(viewport=LAPTOP, accept_downloads=True, bypass_csp=True)
    tab = context.new_page()
    tab.set_default_timeout(20_000)
    console.attach(tab)
    yield tab
    context.close()
