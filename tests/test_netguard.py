"""The SSRF guard's decisions. Nothing here opens a connection or sends a DNS query."""

from __future__ import annotations

import ipaddress

import pytest

from convoscope.netguard import AddressRefused, NetPolicy, parse_ip, refusal_reason, resolve_checked


def no_dns(host: str, port: int) -> list[str]:
    raise AssertionError(f"unexpected DNS query for {host}")


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("127.0.0.1", "loopback"),
        ("127.255.0.9", "loopback"),
        ("::1", "loopback"),
        ("10.1.2.3", "private"),
        ("172.16.0.1", "private"),
        ("192.168.0.10", "private"),
        ("fc00::1", "private"),
        ("fd12:3456::1", "private"),
        ("169.254.1.1", "link-local"),
        ("fe80::1", "link-local"),
        ("224.0.0.1", "multicast"),
        ("ff02::1", "multicast"),
        ("0.0.0.0", "unspecified"),
        ("::", "unspecified"),
        ("240.0.0.1", "reserved"),
        ("255.255.255.255", "reserved"),
        ("100.64.0.1", "non-public"),  # shared address space (CGNAT)
        ("192.0.2.10", "private"),  # documentation
        ("169.254.169.254", "metadata"),
        ("169.254.170.2", "metadata"),
        ("168.63.129.16", "metadata"),
        ("100.100.100.200", "metadata"),
        ("fd00:ec2::254", "metadata"),
        ("::ffff:127.0.0.1", "loopback"),  # IPv4-mapped
        ("::ffff:169.254.169.254", "metadata"),
        ("64:ff9b::a00:1", "private"),  # NAT64 of 10.0.0.1
        ("2002:c0a8:101::1", "private"),  # 6to4 of 192.168.1.1
    ],
)
def test_refused_addresses(address: str, reason: str) -> None:
    found = refusal_reason(ipaddress.ip_address(address))
    assert found is not None and reason in found
    with pytest.raises(AddressRefused):
        resolve_checked(address, 80, resolver=no_dns)


@pytest.mark.parametrize("address", ["8.8.8.8", "93.184.216.34", "2606:4700:4700::1111", "::ffff:8.8.8.8"])
def test_public_addresses_pass(address: str) -> None:
    assert refusal_reason(ipaddress.ip_address(address)) is None
    assert resolve_checked(address, 443, resolver=no_dns)


@pytest.mark.parametrize(
    "spelling", ["2130706433", "0x7f000001", "0x7F.0.0.1", "0177.0.0.1", "127.1", "127.0.1", "[::1]"]
)
def test_odd_spellings_of_loopback_are_normalised(spelling: str) -> None:
    assert parse_ip(spelling) in (ipaddress.ip_address("127.0.0.1"), ipaddress.ip_address("::1"))
    with pytest.raises(AddressRefused, match="loopback"):
        resolve_checked(spelling, 80, resolver=no_dns)


def test_host_names_are_not_taken_for_addresses() -> None:
    assert parse_ip("example.com") is None
    assert parse_ip("1.2.3.4.example") is None
    assert parse_ip("fe80::1%eth0") == ipaddress.ip_address("fe80::1")


def test_every_resolved_address_must_pass() -> None:
    def mixed(host: str, port: int) -> list[str]:
        return ["93.184.216.34", "10.0.0.5"]

    with pytest.raises(AddressRefused, match=r"resolves to 10\.0\.0\.5, a private address"):
        resolve_checked("rebind.example", 80, resolver=mixed)
    assert resolve_checked(
        "good.example", 80, resolver=lambda h, p: ["93.184.216.34", "::ffff:93.184.216.34"]
    ) == [ipaddress.ip_address("93.184.216.34")]


def test_metadata_host_names_are_refused_without_dns() -> None:
    with pytest.raises(AddressRefused, match="metadata"):
        resolve_checked("metadata.google.internal", 80, resolver=no_dns)


def test_unresolvable_host_is_refused() -> None:
    def fail(host: str, port: int) -> list[str]:
        raise OSError("Name or service not known")

    with pytest.raises(AddressRefused, match="cannot resolve"):
        resolve_checked("nowhere.invalid", 80, resolver=fail)


def test_allow_list_of_networks_and_hosts() -> None:
    policy = NetPolicy.from_strings(["127.0.0.1", "10.20.0.0/16", "files.internal", " "])
    assert resolve_checked("127.0.0.1", 80, policy, no_dns) == [ipaddress.ip_address("127.0.0.1")]
    assert resolve_checked("10.20.3.4", 80, policy, no_dns)
    with pytest.raises(AddressRefused):
        resolve_checked("10.21.0.1", 80, policy, no_dns)
    with pytest.raises(AddressRefused):
        resolve_checked("127.0.0.2", 80, policy, no_dns)
    assert resolve_checked("Files.Internal.", 80, policy, lambda h, p: ["192.168.9.9"]) == [
        ipaddress.ip_address("192.168.9.9")
    ]
