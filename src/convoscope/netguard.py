"""Guard against server-side request forgery: which addresses a user-given URL may reach.

By default only public unicast addresses are allowed. Refused: loopback, private (RFC 1918, ULA),
link-local, multicast, reserved, unspecified, shared/CGNAT, documentation and benchmarking ranges,
and the cloud metadata endpoints. IPv6 addresses that embed an IPv4 address (IPv4-mapped, NAT64,
6to4, Teredo) are judged by the embedded address too. Host names are resolved once and *every*
address they resolve to must pass; the caller then connects to one of exactly those addresses, so a
second DNS answer cannot swap in another one (DNS rebinding).

Odd IPv4 spellings (`2130706433`, `0x7f000001`, `0177.0.0.1`, `127.1`) are normalised the way the OS
resolver reads them (`inet_aton`) before being checked, without any DNS query.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Iterable
from dataclasses import dataclass

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
Resolver = Callable[[str, int], list[str]]

# Metadata services reachable from cloud VMs; some are not covered by the range checks below.
METADATA_ADDRESSES = frozenset(
    ipaddress.ip_address(a)
    for a in (
        "169.254.169.254",  # AWS, GCP, Azure, OpenStack, Oracle, DigitalOcean
        "169.254.170.2",  # AWS ECS task metadata
        "168.63.129.16",  # Azure WireServer (a public address)
        "100.100.100.200",  # Alibaba Cloud
        "fd00:ec2::254",  # AWS IMDS over IPv6
    )
)
METADATA_HOSTS = frozenset(
    {"metadata.google.internal", "metadata", "instance-data", "metadata.azure.internal"}
)
NAT64 = ipaddress.ip_network("64:ff9b::/96")
NAT64_LOCAL = ipaddress.ip_network("64:ff9b:1::/48")


class AddressRefused(Exception):
    """The URL's host is, or resolves to, an address the guard does not allow."""


@dataclass(frozen=True)
class NetPolicy:
    """What the guard lets through besides public addresses.

    `allow_hosts` are host names matched exactly (case-insensitive); `allow_networks` are networks
    (`127.0.0.1/32`, `10.0.0.0/8`, `::1/128`) whose addresses are allowed even when non-public.
    """

    allow_hosts: frozenset[str] = frozenset()
    allow_networks: tuple[IPNetwork, ...] = ()

    @classmethod
    def from_strings(cls, entries: Iterable[str]) -> NetPolicy:
        """One setting, a list of hosts and networks: `["127.0.0.1", "10.1.0.0/16", "files.local"]`."""
        hosts: set[str] = set()
        networks: list[IPNetwork] = []
        for entry in (e.strip() for e in entries):
            if not entry:
                continue
            try:
                networks.append(ipaddress.ip_network(entry, strict=False))
            except ValueError:
                hosts.add(entry.lower().rstrip("."))
        return cls(frozenset(hosts), tuple(networks))

    def allows_address(self, address: IPAddress) -> bool:
        return any(address in net for net in self.allow_networks if net.version == address.version)


def parse_ip(host: str) -> IPAddress | None:
    """The address a literal host means, as the OS resolver reads it; None for a host name."""
    host = host.strip().strip("[]")
    host = host.split("%", 1)[0]  # drop an IPv6 zone id
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    if not host or not all(c.isalnum() or c == "." for c in host):
        return None
    try:
        return ipaddress.IPv4Address(socket.inet_aton(host))  # 127.1, 0x7f000001, 2130706433, 0177.0.0.1
    except OSError:
        return None


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv4-mapped, NAT64 or 6to4 address leads to."""
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address in NAT64 or address in NAT64_LOCAL:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return address.sixtofour


def refusal_reason(address: IPAddress) -> str | None:
    """Why the guard refuses `address` by default, or None when it is a public unicast address."""
    if address in METADATA_ADDRESSES:
        return "a cloud metadata address"
    if isinstance(address, ipaddress.IPv6Address):
        embedded = _embedded_ipv4(address)
        if embedded is not None:  # the packet ends up at the IPv4 address: judge that one
            reason = refusal_reason(embedded)
            return f"{reason} (as {embedded})" if reason else None
    checks = (
        ("unspecified", address.is_unspecified),
        ("loopback", address.is_loopback),
        ("link-local", address.is_link_local),
        ("multicast", address.is_multicast),
        ("reserved", address.is_reserved),
        ("private", address.is_private),
        ("site-local", isinstance(address, ipaddress.IPv6Address) and address.is_site_local),
    )
    for name, hit in checks:
        if hit:
            return f"{'an' if name[0] in 'aeiou' else 'a'} {name} address"
    if not address.is_global:  # shared/CGNAT 100.64/10, documentation, benchmarking, ...
        return "a non-public address"
    return None


def check_address(address: IPAddress, policy: NetPolicy) -> None:
    """Raise `AddressRefused` unless `address` is public or allowed by the policy."""
    if policy.allows_address(address):
        return
    reason = refusal_reason(address)
    if reason:
        raise AddressRefused(f"{address} is {reason}")


def system_resolver(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


def resolve_checked(
    host: str,
    port: int,
    policy: NetPolicy = NetPolicy(),
    resolver: Resolver = system_resolver,
) -> list[IPAddress]:
    """Every address `host` stands for, each checked; raises `AddressRefused` if any is refused.

    A literal address (in any spelling) is checked without a DNS query. An allowed host name skips
    the address checks (it is still resolved, so the caller can connect to a fixed address).
    """
    name = host.strip().strip("[]").lower().rstrip(".")
    literal = parse_ip(name)
    if literal is not None:
        check_address(literal, policy)
        return [literal]
    if name in METADATA_HOSTS and name not in policy.allow_hosts:
        raise AddressRefused(f"{host} is a cloud metadata host")
    try:
        resolved = resolver(name, port)
    except (OSError, UnicodeError) as error:
        raise AddressRefused(f"cannot resolve {host}: {error}") from error
    addresses: list[IPAddress] = []
    for text in resolved:
        address = ipaddress.ip_address(text.split("%", 1)[0])
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
            address = address.ipv4_mapped
        if name not in policy.allow_hosts and not policy.allows_address(address):
            reason = refusal_reason(address)
            if reason:
                raise AddressRefused(f"{host} resolves to {address}, {reason}")
        if address not in addresses:
            addresses.append(address)
    if not addresses:
        raise AddressRefused(f"{host} has no address")
    return addresses
