"""The web UI under its real Content-Security-Policy (the other browser tests bypass it to drive the
page): signing in, the conversation list, a conversation with its transcript, speakers and player
(through a signed media link) work, and the browser reports no violation and no console error."""

from __future__ import annotations

import time
from typing import Any

import httpx
import pytest

from tests.fixtures.api import wait_for_job
from tests.fixtures.browser import LAPTOP, ConsoleErrors
from tests.fixtures.paths import SHARED_DATA
from tests.fixtures.servers import LiveServer
from tests.fixtures.settings import APP_ID, APP_SECRET

pytestmark = pytest.mark.slow
JFK = SHARED_DATA / "jfk.flac"
RECORD_VIOLATIONS = (
    "window.cspViolations = [];"
    "document.addEventListener('securitypolicyviolation', (e) =>"
    " window.cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));"
)


def test_the_ui_works_under_its_content_security_policy(browser: Any, server: LiveServer) -> None:
    with httpx.Client(base_url=server.url, timeout=60) as http:
        body = {"type": "application", "appId": APP_ID, "appSecret": APP_SECRET}
        auth = {"x-api-key": http.post("/oauth2/token:generate", json=body).json()["accessToken"]}
        submitted = http.post("/v1/process/audio?name=Moon", content=JFK.read_bytes(), headers=auth).json()
        assert wait_for_job(http, submitted["jobId"], auth)["status"] == "completed"  # type: ignore[arg-type]

    context = browser.new_context(viewport=LAPTOP)
    page = context.new_page()
    page.set_default_timeout(20_000)
    console = ConsoleErrors()
    console.attach(page)
    page.add_init_script(RECORD_VIOLATIONS)
    try:
        response = page.goto(server.url + "/")
        policy = response.headers["content-security-policy"]
        assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
        assert response.headers["x-frame-options"] == "DENY"
        assert response.headers["x-content-type-options"] == "nosniff"
        page.fill("#app-id", APP_ID)
        page.fill("#app-secret", APP_SECRET)
        page.keyboard.press("Enter")
        page.get_by_role("heading", name="Conversations").wait_for()
        page.get_by_text("Moon").first.click()
        page.locator("#transcript .sentence").first.wait_for()
        page.locator("#player").wait_for(state="attached")
        deadline = time.monotonic() + 20
        while page.evaluate("document.querySelector('#player').readyState") < 1:
            assert time.monotonic() < deadline, "the player did not load its media"
            time.sleep(0.2)
        source = page.evaluate("document.querySelector('#player').currentSrc")
        assert "signature=" in source and "access_token" not in source
        # Colours set through the style helper apply (a blocked style attribute would leave none).
        assert page.evaluate("document.querySelector('.speaker').style.color") != ""
        assert page.evaluate("window.cspViolations") == []
        assert list(console) == []
    finally:
        context.close()
