"""The browser UI: `/` serves the page, `/ui/*` its static modules and styles (no build step).

The UI talks to the server only through the public HTTP API, exactly like any other client.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles

WEB_DIR = Path(__file__).resolve().parents[2] / "web"

router = APIRouter(include_in_schema=False)
# Revalidate on every load: the files are tiny and a stale module after an upgrade breaks the page.
_NO_CACHE = {"Cache-Control": "no-cache"}


@router.get("/")
def index() -> FileResponse:
    return FileResponse(WEB_DIR / "index.html", media_type="text/html", headers=_NO_CACHE)


@router.get("/ui")
def ui_root() -> RedirectResponse:
    return RedirectResponse("/")


def static_files() -> StaticFiles:
    return StaticFiles(directory=WEB_DIR, check_dir=False)
