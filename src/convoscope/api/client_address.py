"""The client's address: the connecting peer, or what a trusted proxy says in `X-Forwarded-For`.

Only proxies listed in `server.forwarded_allow_ips` are believed; the header is read from the right
(the entry the last proxy appended) past every trusted proxy, so a client cannot choose its address
by sending the header itself.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from functools import cache

from fastapi import Request

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@cache
def trusted_networks(allowed: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in allowed if entry.strip())


def _trusted(address: str, networks: Iterable[Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_address(request: Request) -> str:
    peer = request.client.host if request.client else "unknown"
    allowed = tuple(request.app.state.services.settings.server.forwarded_allow_ips)
    networks = trusted_networks(allowed)
    if not networks or not _trusted(peer, networks):
        return peer
    forwarded = ",".join(request.headers.getlist("x-forwarded-for"))
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    address = peer
    for hop in reversed(hops):
        try:
            ipaddress.ip_address(hop)
        except ValueError:
            break  # garbage from the client side: stop at the last address a trusted proxy gave
        address = hop
        if not _trusted(hop, networks):
            break
    return address
