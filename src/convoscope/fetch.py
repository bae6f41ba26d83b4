"""Download a user-given URL to a file, safely.

Each hop (the first URL and every redirect) is resolved and checked by `netguard` before anything
connects, and the connection goes to the address that was checked: the request URL carries that IP,
the `Host` header and the TLS server name (SNI, also used to verify the certificate) carry the host
name. Redirects are followed by hand, at most `max_redirects`. Connect and read timeouts, an overall
deadline and a size limit bound the download; proxies from the environment are ignored so that
the guard's decision is what happens. Every failure is a `FetchError` whose message says why.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import structlog

from convoscope.netguard import AddressRefused, NetPolicy, Resolver, resolve_checked, system_resolver

log = structlog.get_logger(__name__)

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
USER_AGENT = "convoscope-fetch/0.1"


# What a user is told for the reasons whose detailed message describes our own network (what a name
# resolves to, which addresses are private, how a connection failed): the details go to the logs only.
_PUBLIC_MESSAGES = {
    "refused": "the URL's host is not allowed: it does not resolve to a public address",
    "network": "the server could not be reached",
}


class FetchError(Exception):
    """A download failed. `reason` is one of: bad_url, refused, status, timeout, too_large, network.

    `str(error)` holds the details for the logs; `public_message` is what a user may be shown.
    """

    def __init__(self, message: str, *, reason: str, status: int | None = None) -> None:
        super().__init__(message)
        self.reason = reason
        self.status = status

    @property
    def public_message(self) -> str:
        return _PUBLIC_MESSAGES.get(self.reason, str(self))


@dataclass(frozen=True)
class FetchLimits:
    """Timeouts in seconds, size in bytes."""

    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    total_timeout: float = 900.0
    max_bytes: int = 2 * 1024**3
    max_redirects: int = 5


@dataclass(frozen=True)
class FetchResult:
    path: Path
    size: int
    content_type: str | None
    url: str  # the final URL, after redirects
    redirects: int


def _parse(url: str | httpx.URL) -> httpx.URL:
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError) as error:
        raise FetchError(f"invalid URL: {error}", reason="bad_url") from error
    if parsed.scheme not in ("http", "https"):
        raise FetchError(
            f"only http and https URLs can be fetched, not {parsed.scheme or 'none'!r}", reason="bad_url"
        )
    if not parsed.host:
        raise FetchError("the URL has no host", reason="bad_url")
    return parsed


def check_url(
    url: str | httpx.URL, policy: NetPolicy = NetPolicy(), resolver: Resolver = system_resolver
) -> str:
    """The address a URL's host is allowed to be reached at; raises `FetchError(reason="refused")`.

    This is the decision the downloader makes before each connection; it opens no connection.
    """
    parsed = _parse(url)
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    try:
        return str(resolve_checked(parsed.host, port, policy, resolver)[0])
    except AddressRefused as error:
        raise FetchError(f"refused to fetch {parsed.host}: {error}", reason="refused") from error


def _pinned_request(
    client: httpx.Client,
    url: httpx.URL,
    address: str,
    *,
    method: str = "GET",
    content: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> httpx.Request:
    """A request for `url` that connects to `address` while naming the original host."""
    host_header = url.netloc.decode("ascii")
    if b"@" in url.netloc:  # userinfo is not part of Host
        host_header = host_header.rsplit("@", 1)[1]
    extensions = {"sni_hostname": url.host} if url.scheme == "https" else {}
    return client.build_request(
        method,
        url.copy_with(host=address),
        headers={
            "Host": host_header,
            "User-Agent": USER_AGENT,
            "Accept-Encoding": "identity",
            **(headers or {}),
        },
        content=content,
        extensions=extensions,
    )


def post_guarded(
    url: str,
    content: bytes,
    headers: dict[str, str],
    *,
    policy: NetPolicy = NetPolicy(),
    timeout: float = 10.0,
    resolver: Resolver = system_resolver,
) -> int:
    """POST `content` to `url` under the same guard as downloads (no redirects); the status code."""
    parsed = _parse(url)
    address = check_url(parsed, policy, resolver)
    with httpx.Client(timeout=timeout, trust_env=False, follow_redirects=False) as client:
        request = _pinned_request(client, parsed, address, method="POST", content=content, headers=headers)
        try:
            # Only the status matters: the body is not read, so a receiver cannot hold the call by
            # sending one slowly.
            response = client.send(request, stream=True)
            response.close()
            return response.status_code
        except httpx.TimeoutException as error:
            raise FetchError(f"timed out posting to {parsed.host}", reason="timeout") from error
        except httpx.HTTPError as error:
            raise FetchError(f"cannot reach {parsed.host}: {error}", reason="network") from error


def fetch_to_file(
    url: str,
    dest: str | Path,
    *,
    policy: NetPolicy = NetPolicy(),
    limits: FetchLimits = FetchLimits(),
    resolver: Resolver = system_resolver,
) -> FetchResult:
    """Download `url` into `dest` (written to a temporary name, renamed when complete)."""
    dest = Path(dest)
    tmp = dest.with_name(f".{dest.name}.part-{os.getpid()}")
    deadline = time.monotonic() + limits.total_timeout
    timeout = httpx.Timeout(limits.read_timeout, connect=limits.connect_timeout)
    current = _parse(url)
    try:
        with httpx.Client(timeout=timeout, trust_env=False, follow_redirects=False) as client:
            for hop in range(limits.max_redirects + 1):
                address = check_url(current, policy, resolver)
                request = _pinned_request(client, current, address)
                response = _send(client, request, current)
                try:
                    if response.status_code in REDIRECT_STATUSES and "location" in response.headers:
                        current = _parse(current.join(response.headers["location"]))
                        log.info("fetch.redirect", hop=hop + 1, host=current.host)
                        continue
                    if response.status_code >= 400:
                        raise FetchError(
                            f"the server answered HTTP {response.status_code} {response.reason_phrase}",
                            reason="status",
                            status=response.status_code,
                        )
                    size = _save(response, tmp, limits, deadline)
                    content_type = response.headers.get("content-type")
                finally:
                    response.close()
                os.replace(tmp, dest)
                log.info("fetch.done", host=current.host, bytes=size, redirects=hop)
                return FetchResult(dest, size, content_type, str(current), hop)
        raise FetchError(f"more than {limits.max_redirects} redirects", reason="too_many_redirects")
    finally:
        tmp.unlink(missing_ok=True)


def _send(client: httpx.Client, request: httpx.Request, url: httpx.URL) -> httpx.Response:
    try:
        return client.send(request, stream=True)
    except httpx.TimeoutException as error:
        raise FetchError(f"timed out connecting to {url.host}", reason="timeout") from error
    except httpx.HTTPError as error:
        raise FetchError(f"cannot reach {url.host}: {error}", reason="network") from error


def _save(response: httpx.Response, tmp: Path, limits: FetchLimits, deadline: float) -> int:
    declared = response.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limits.max_bytes:
        raise FetchError(
            f"the file is {int(declared)} bytes, over the limit of {limits.max_bytes}", reason="too_large"
        )
    size = 0
    try:
        with tmp.open("wb") as out:
            for block in response.iter_bytes(1 << 16):
                size += len(block)
                if size > limits.max_bytes:
                    raise FetchError(
                        f"the file is over the limit of {limits.max_bytes} bytes", reason="too_large"
                    )
                if time.monotonic() > deadline:
                    raise FetchError(
                        f"the download took longer than {limits.total_timeout:.0f} s", reason="timeout"
                    )
                out.write(block)
    except httpx.TimeoutException as error:
        raise FetchError("timed out reading from the server", reason="timeout") from error
    except httpx.HTTPError as error:
        raise FetchError(f"the download failed: {error}", reason="network") from error
    return size
