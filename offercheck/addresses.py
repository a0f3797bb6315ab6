"""The address guard: which IP addresses a fetched link may connect to.

A link in an offer is untrusted. Opening it must never make this machine talk to itself, its
network, or a cloud metadata service (169.254.169.254): the classic server-side request
forgery. The guard runs on the addresses a host name actually resolves to, before any
connection, and again on the peer of the connection made, on every redirect hop.

    unspecified, multicast, link-local, reserved, documentation ... always refused
    loopback (127.0.0.0/8, ::1)                                    only with --allow-loopback
    private (10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7)     only with --allow-private-network
    everything else that is globally routable                      allowed
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import Callable, Sequence

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], Sequence[str]]  # (host, port) -> IP address strings

# RFC 1918, RFC 6598 shared (carrier-grade NAT) and RFC 4193 unique local: "an organisation's network".
PRIVATE_NETWORKS = tuple(
    ipaddress.ip_network(n) for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "fc00::/7")
)


class AddressRefused(Exception):
    """The guard refused a host or address; nothing was sent to it. Not an OSError, so that no
    HTTP layer mistakes it for a connection failure and retries elsewhere."""

    def __init__(self, host: str, address: str, why: str) -> None:
        super().__init__(f"{host} ({address}) is {why}" if host != address else f"{address} is {why}")
        self.host = host
        self.address = address
        self.why = why


@dataclass(frozen=True, slots=True)
class AddressPolicy:
    allow_loopback: bool = False  # --allow-loopback: 127.0.0.0/8 and ::1, nothing else
    allow_private: bool = False  # --allow-private-network: PRIVATE_NETWORKS

    def refusal(self, address: str) -> str:
        """Why `address` may not be connected to, or "" when it may."""
        try:
            ip: IPAddress = ipaddress.ip_address(address.split("%")[0])
        except ValueError:
            return "not an IP address"
        if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
            ip = ip.ipv4_mapped  # ::ffff:10.0.0.1 is 10.0.0.1
        if ip.is_unspecified:
            return "the unspecified address"
        if ip.is_multicast:
            return "a multicast address"
        if ip.is_loopback:
            return "" if self.allow_loopback else "a loopback address (this machine); use --allow-loopback for a local mirror"
        if ip.is_link_local:
            return "a link-local address (such as a cloud metadata service)"
        if any(ip in network for network in PRIVATE_NETWORKS):
            return "" if self.allow_private else "a private network address; use --allow-private-network for an intranet"
        if not ip.is_global:
            return "a reserved address that is not on the internet"
        return ""

    def check(self, host: str, addresses: Sequence[str]) -> list[str]:
        """All of `addresses`, or AddressRefused when any one is refused (a name that resolves to
        a public and a private address is refused: the private one could be used at any time)."""
        if not addresses:
            raise AddressRefused(host, host, "not resolvable to any address")
        for address in addresses:
            why = self.refusal(address)
            if why:
                raise AddressRefused(host, address, why)
        return list(addresses)


def ip_literal(host: str) -> str | None:
    """'127.0.0.1' and '[::1]' -> the address; a name -> None."""
    try:
        return str(ipaddress.ip_address(host.strip("[]").split("%")[0]))
    except ValueError:
        return None


def system_resolver(host: str, port: int) -> list[str]:
    """The addresses the system resolver gives for `host`, in its order, without duplicates."""
    import socket

    found: dict[str, None] = {}
    for _family, _type, _proto, _name, sockaddr in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM):
        found.setdefault(str(sockaddr[0]), None)
    return list(found)
