"""Request forgery through media URLs and webhook URLs: one guard, every spelling of a refused address.

Refused addresses are judged, never connected to (a socket guard fails the test on any connection
that is not loopback). Real connections go only to loopback spellings that the test's policy allows.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest

from convoscope.fetch import FetchError, check_url, fetch_to_file, post_guarded
from convoscope.jobs.webhooks import Delivery, WebhookSender
from convoscope.netguard import NetPolicy

REFUSED_HOSTS = [
    "127.0.0.1", "2130706433", "0x7f000001", "0177.0.0.1", "127.1", "0x7F.0.0.1",  # loopback, IPv4
    "[::1]", "[::ffff:127.0.0.1]", "[0:0:0:0:0:ffff:7f00:1]",  # loopback, IPv6
    "10.0.0.1", "172.16.5.4", "192.168.1.1", "[::ffff:10.0.0.1]", "[fd00::1]", "[fc00::1]",  # private
    "169.254.1.1", "[fe80::1]", "[fe80::1%25eth0]",  # link-local
    "169.254.169.254", "[::ffff:169.254.169.254]", "[fd00:ec2::254]", "metadata.google.internal",
    "100.100.100.200", "168.63.129.16",  # metadata
    "224.0.0.1", "239.255.255.250", "[ff02::1]", "[ff05::1:3]",  # multicast
    "0.0.0.0", "0", "[::]",  # unspecified
    "100.64.0.1", "240.0.0.1", "255.255.255.255",  # shared, reserved, broadcast
    "[64:ff9b::a00:1]", "[2002:c0a8:101::1]",  # NAT64 / 6to4 of private addresses
]  # fmt: skip

DNS_ANSWERS = {
    "loopback.example": ["127.0.0.1"],
    "private.example": ["93.184.216.34", "10.0.0.5"],  # one bad answer is enough
    "v6private.example": ["fd12::5"],
    "mapped.example": ["::ffff:192.168.0.1"],
    "metadata.example": ["169.254.169.254"],
}


def fake_dns(host: str, port: int) -> list[str]:
    return DNS_ANSWERS[host]


@pytest.fixture(autouse=True)
def loopback_connections_only(monkeypatch: pytest.MonkeyPatch) -> None:
    real = socket.create_connection

    def guarded(address: tuple[str, int], *args: Any, **kwargs: Any) -> socket.socket:
        assert address[0] in ("127.0.0.1", "::1"), f"attempted connection to {address}"
        return real(address, *args, **kwargs)

    monkeypatch.setattr(socket, "create_connection", guarded)


@pytest.mark.parametrize("host", REFUSED_HOSTS)
def test_media_and_webhook_urls_to_refused_addresses(host: str) -> None:
    # httpx itself rejects a leading-zero octet as an invalid URL: refused all the same.
    reasons = {"refused", "bad_url"} if host == "0177.0.0.1" else {"refused"}
    for url in (f"http://{host}/a.mp3", f"https://{host}:8443/hook"):
        with pytest.raises(FetchError) as media_error:
            check_url(url, NetPolicy())
        assert media_error.value.reason in reasons
        with pytest.raises(FetchError) as hook_error:
            post_guarded(url, b"{}", {}, policy=NetPolicy(), resolver=fake_dns)
        assert hook_error.value.reason in reasons


@pytest.mark.parametrize("host", list(DNS_ANSWERS))
def test_names_that_resolve_to_refused_addresses(host: str, tmp_path: Path) -> None:
    with pytest.raises(FetchError, match="resolves to") as error:
        fetch_to_file(f"http://{host}/a.mp3", tmp_path / "x", resolver=fake_dns)
    assert error.value.reason == "refused"
    with pytest.raises(FetchError, match="resolves to"):
        post_guarded(f"http://{host}/hook", b"{}", {}, resolver=fake_dns)


def test_a_refused_webhook_is_not_retried_and_never_connects() -> None:
    sender = WebhookSender(NetPolicy(), attempts=3, backoff=0.0)
    try:
        for host in ("169.254.169.254", "2130706433", "[::ffff:10.0.0.1]", "metadata.google.internal"):
            assert sender.deliver(Delivery(f"http://{host}/hook", "job", "completed", "s")) is False
    finally:
        sender.close()


class Receiver(BaseHTTPRequestHandler):
    hits: ClassVar[list[str]] = []

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _answer(self) -> None:
        Receiver.hits.append(f"{self.command} {self.path}")
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        if self.path == "/to-metadata":
            self.send_response(302)
            self.send_header("Location", "http://169.254.169.254/latest/meta-data/")
        else:
            self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    do_GET = do_POST = _answer


class V6Server(ThreadingHTTPServer):
    address_family = socket.AF_INET6


def serve(server_class: type[ThreadingHTTPServer], host: str) -> Iterator[int]:
    httpd = server_class((host, 0), Receiver)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield int(httpd.server_port)
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def port() -> Iterator[int]:
    yield from serve(ThreadingHTTPServer, "127.0.0.1")


@pytest.fixture(scope="module")
def port6() -> Iterator[int]:
    try:
        yield from serve(V6Server, "::1")
    except OSError as error:
        pytest.skip(f"no IPv6 loopback: {error}")


LOOPBACK_POLICY = NetPolicy.from_strings(["127.0.0.1", "::1"])


@pytest.mark.parametrize("host", ["127.0.0.1", "127.1", "2130706433", "0x7f000001", "localhost"])
def test_allowed_loopback_spellings_really_connect(host: str, port: int, tmp_path: Path) -> None:
    policy = NetPolicy.from_strings(["127.0.0.1", "::1", "localhost"])
    result = fetch_to_file(f"http://{host}:{port}/a.mp3", tmp_path / "a", policy=policy)
    assert result.size == 2
    assert post_guarded(f"http://{host}:{port}/hook", b"{}", {}, policy=policy) == 200


def test_ipv6_loopback_really_connects_when_allowed(port6: int, tmp_path: Path) -> None:
    assert fetch_to_file(f"http://[::1]:{port6}/a", tmp_path / "a", policy=LOOPBACK_POLICY).size == 2
    assert post_guarded(f"http://[::1]:{port6}/hook", b"{}", {}, policy=LOOPBACK_POLICY) == 200
    with pytest.raises(FetchError, match="loopback"):
        post_guarded(f"http://[::1]:{port6}/hook", b"{}", {}, policy=NetPolicy.from_strings(["127.0.0.1"]))


def test_a_redirect_from_loopback_to_metadata_is_refused_before_connecting(port: int, tmp_path: Path) -> None:
    Receiver.hits.clear()
    with pytest.raises(FetchError, match=r"169\.254\.169\.254") as error:
        fetch_to_file(f"http://127.1:{port}/to-metadata", tmp_path / "x", policy=LOOPBACK_POLICY)
    assert error.value.reason == "refused"
    assert Receiver.hits == ["GET /to-metadata"] and not (tmp_path / "x").exists()
    # Webhook deliveries never follow redirects: the 302 is the answer, nothing more is requested.
    assert post_guarded(f"http://127.0.0.1:{port}/to-metadata", b"{}", {}, policy=LOOPBACK_POLICY) == 302
