"""Downloads against a loopback file server only; every other address is judged, never connected to."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest

from convoscope.fetch import FetchError, FetchLimits, check_url, fetch_to_file
from convoscope.netguard import NetPolicy
from tests.fixtures.paths import SHARED_DATA as DATA

CLIP = (DATA / "hotwords.mp3").read_bytes()
LOOPBACK = NetPolicy.from_strings(["127.0.0.1"])


class Handler(BaseHTTPRequestHandler):
    hosts: ClassVar[list[str]] = []

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _redirect(self, location: str, status: int = 302) -> None:
        self.send_response(status)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self) -> None:
        Handler.hosts.append(self.headers.get("Host", ""))
        routes = {
            "/redirect": lambda: self._redirect("/hotwords.mp3"),
            "/redirect-twice": lambda: self._redirect("/redirect", 301),
            "/loop": lambda: self._redirect("/loop"),
            "/to-private": lambda: self._redirect("http://10.0.0.1/secret"),
            "/to-metadata": lambda: self._redirect("http://169.254.169.254/latest/meta-data/"),
            "/to-decimal-loopback": lambda: self._redirect(
                f"http://2130706433:{self.server.server_port}/hotwords.mp3"
            ),
            "/to-ftp": lambda: self._redirect("ftp://127.0.0.1/file"),
        }
        if self.path in routes:
            routes[self.path]()
        elif self.path == "/hotwords.mp3":
            self.send_response(200)
            self.send_header("Content-Type", "audio/mpeg")
            self.send_header("Content-Length", str(len(CLIP)))
            self.end_headers()
            self.wfile.write(CLIP)
        elif self.path == "/big-declared":
            self.send_response(200)
            self.send_header("Content-Length", str(10**9))
            self.end_headers()
        elif self.path == "/big-chunked":  # no Content-Length: the limit is enforced while reading
            self.send_response(200)
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            block = b"x" * 4096
            try:
                for _ in range(64):
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(block), block))
                self.wfile.write(b"0\r\n\r\n")
            except OSError:
                pass
        elif self.path == "/slow":
            time.sleep(2.0)
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")
        else:
            self.send_error(404, "Not Found")


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # clients that hang up early (timeouts, size limits) are expected here


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = QuietServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail the test if anything tries to connect anywhere but 127.0.0.1."""
    real = socket.create_connection

    def guarded(address: tuple[str, int], *args: Any, **kwargs: Any) -> socket.socket:
        assert address[0] == "127.0.0.1", f"attempted connection to {address}"
        return real(address, *args, **kwargs)

    monkeypatch.setattr(socket, "create_connection", guarded)


def test_download_to_file(server: str, tmp_path: Path) -> None:
    result = fetch_to_file(f"{server}/hotwords.mp3", tmp_path / "in.mp3", policy=LOOPBACK)
    assert (tmp_path / "in.mp3").read_bytes() == CLIP
    assert result.size == len(CLIP) and result.content_type == "audio/mpeg" and result.redirects == 0
    assert [p.name for p in tmp_path.iterdir()] == ["in.mp3"]  # no temporary file left


def test_redirects_are_followed_and_counted(server: str, tmp_path: Path) -> None:
    result = fetch_to_file(f"{server}/redirect-twice", tmp_path / "in.mp3", policy=LOOPBACK)
    assert result.redirects == 2 and result.url.endswith("/hotwords.mp3")
    with pytest.raises(FetchError, match="more than 2 redirects") as error:
        fetch_to_file(f"{server}/loop", tmp_path / "x", policy=LOOPBACK, limits=FetchLimits(max_redirects=2))
    assert error.value.reason == "too_many_redirects"


@pytest.mark.parametrize(
    ("path", "address"), [("/to-private", "10.0.0.1"), ("/to-metadata", "169.254.169.254")]
)
def test_redirect_to_a_refused_address_stops_before_connecting(
    server: str, tmp_path: Path, path: str, address: str
) -> None:
    with pytest.raises(FetchError, match=address) as error:
        fetch_to_file(f"{server}{path}", tmp_path / "x", policy=LOOPBACK)
    assert error.value.reason == "refused"
    assert not (tmp_path / "x").exists()


def test_redirect_to_odd_spelling_of_an_allowed_address(server: str, tmp_path: Path) -> None:
    result = fetch_to_file(f"{server}/to-decimal-loopback", tmp_path / "in.mp3", policy=LOOPBACK)
    assert result.size == len(CLIP)


def test_loopback_is_refused_without_the_allow_list(server: str, tmp_path: Path) -> None:
    with pytest.raises(FetchError, match="loopback") as error:
        fetch_to_file(f"{server}/hotwords.mp3", tmp_path / "x")
    assert error.value.reason == "refused"


def test_connection_goes_to_the_checked_address_with_the_host_name_kept(server: str, tmp_path: Path) -> None:
    port = server.rsplit(":", 1)[1]
    answers = iter([["127.0.0.1"], ["10.9.9.9"]])  # a rebinding resolver: second answer is private
    calls: list[str] = []

    def resolver(host: str, p: int) -> list[str]:
        calls.append(host)
        return next(answers)

    Handler.hosts.clear()
    fetch_to_file(
        f"http://media.test:{port}/hotwords.mp3", tmp_path / "in.mp3", policy=LOOPBACK, resolver=resolver
    )
    assert calls == ["media.test"]  # resolved once, then connected to that very address
    assert Handler.hosts == [f"media.test:{port}"]


def test_http_errors_carry_the_status(server: str, tmp_path: Path) -> None:
    with pytest.raises(FetchError, match="HTTP 404") as error:
        fetch_to_file(f"{server}/missing.mp3", tmp_path / "x", policy=LOOPBACK)
    assert (error.value.reason, error.value.status) == ("status", 404)


def test_too_large(server: str, tmp_path: Path) -> None:
    limits = FetchLimits(max_bytes=100_000)
    with pytest.raises(FetchError, match="over the limit") as error:
        fetch_to_file(f"{server}/big-declared", tmp_path / "x", policy=LOOPBACK, limits=limits)
    assert error.value.reason == "too_large"
    with pytest.raises(FetchError, match="over the limit"):
        fetch_to_file(f"{server}/big-chunked", tmp_path / "x", policy=LOOPBACK, limits=limits)
    assert list(tmp_path.iterdir()) == []


def test_read_timeout(server: str, tmp_path: Path) -> None:
    with pytest.raises(FetchError, match="timed out") as error:
        fetch_to_file(f"{server}/slow", tmp_path / "x", policy=LOOPBACK, limits=FetchLimits(read_timeout=0.3))
    assert error.value.reason == "timeout"


@pytest.mark.parametrize("url", ["ftp://127.0.0.1/x", "file:///etc/passwd", "http:///nohost", "not a url"])
def test_bad_urls(url: str, tmp_path: Path) -> None:
    with pytest.raises(FetchError) as error:
        fetch_to_file(url, tmp_path / "x", policy=LOOPBACK)
    assert error.value.reason == "bad_url"


def test_redirect_to_another_scheme_is_refused(server: str, tmp_path: Path) -> None:
    with pytest.raises(FetchError, match="only http and https"):
        fetch_to_file(f"{server}/to-ftp", tmp_path / "x", policy=LOOPBACK)


def test_check_url_decides_without_connecting() -> None:
    assert check_url("http://127.0.0.1:9/x", LOOPBACK) == "127.0.0.1"
    assert check_url("https://93.184.216.34/a.mp3") == "93.184.216.34"
    for url in (
        "http://0x7f000001/",
        "http://[::ffff:10.0.0.1]/",
        "https://[fe80::1]:8443/",
        "http://100.100.100.200/",
    ):
        with pytest.raises(FetchError) as error:
            check_url(url)
        assert error.value.reason == "refused"
