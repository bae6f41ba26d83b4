"""The official Symbl Python SDK pointed at a live Convoscope server on loopback.

The SDK builds its HTTP clients when `symbl` is imported, copying the base URL then; so one server
runs for the whole session on a port chosen first, and the URL is set before the import.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from typing import Any

import pytest

from tests.fixtures.servers import LiveServer, free_port
from tests.fixtures.settings import APP_ID, APP_SECRET, make_settings

symbl_rest = pytest.importorskip("symbl_rest")


@pytest.fixture(scope="session")
def sdk_port() -> int:
    return free_port()


@pytest.fixture(scope="session")
def sdk_server(backend: str, sdk_port: int, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    # One server per backend, always on the same port (the SDK keeps the URL of its first import).
    # tiny.en keeps the audio tests quick; loopback URLs are allowed for the URL submits.
    settings = make_settings(
        tmp_path_factory.mktemp("sdk-data"), asr={"model": "tiny.en"}, fetch={"allow": ["127.0.0.1"]}
    )
    with LiveServer(settings, port=sdk_port) as server:
        yield server


@pytest.fixture(scope="session")
def sdk(sdk_server: LiveServer) -> Any:
    """`symbl` configured for the live server: only the base URL changed, as a user would."""
    configuration = symbl_rest.Configuration()
    configuration.host = sdk_server.url
    symbl_rest.Configuration.set_default(configuration)
    symbl = importlib.import_module("symbl")
    # A token cached from the other backend's server is unknown to this one: log in afresh.
    importlib.import_module("symbl.AuthenticationToken").configuration = None
    from symbl.Conversations import Conversation

    # The SDK polls jobs every 30 s; poll fast so tests stay quick (a client-side setting only).
    Conversation._Conversation__INTERVAL_TIME_IN_SECONDS = 0.2  # type: ignore[attr-defined]
    return symbl


@pytest.fixture
def credentials() -> dict[str, str]:
    return {"app_id": APP_ID, "app_secret": APP_SECRET}
