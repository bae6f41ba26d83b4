"""Browser tests: headless Chromium (Debian's `chromium`) driven by Playwright, against a live server.

They skip where Chromium or the `playwright` package is missing (a laptop) and run in CI. Playwright
never downloads a browser here: it launches `/usr/bin/chromium`.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import LiveServer, make_settings

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "web"
LAPTOP = {"width": 1366, "height": 860}
PHONE = {"width": 390, "height": 844}

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
    settings = make_settings(tmp_path_factory.mktemp("web") / "data", asr={"model": "tiny.en"})
    with LiveServer(settings) as live:
        yield live


def where(message: Any) -> str:
    """The URL a console message is about: the page's script, or the resource that failed to load."""
    return str((message.location or {}).get("url") or "")


class ConsoleErrors(list[str]):
    """Console errors and uncaught exceptions of a page; the tests expect none."""

    def attach(self, page: Any) -> None:
        page.on(
            "console", lambda msg: msg.type == "error" and self.append(f"console: {msg.text} {where(msg)}")
        )
        page.on("pageerror", lambda exc: self.append(f"pageerror: {exc}"))


@pytest.fixture(scope="module")
def console() -> ConsoleErrors:
    return ConsoleErrors()


@pytest.fixture(scope="module")
def page(browser: Any, server: LiveServer, console: ConsoleErrors) -> Iterator[Any]:
    """One tab for the module's tests, which build on each other like a user's session."""
    context = browser.new_context(viewport=LAPTOP, accept_downloads=True)
    tab = context.new_page()
    tab.set_default_timeout(20_000)
    console.attach(tab)
    yield tab
    context.close()


def screenshot_path(name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS / f"{name}.png"


def screenshot(page: Any, name: str) -> Path:
    path = screenshot_path(name)
    page.screenshot(path=str(path), full_page=True)
    return path
