"""The client's address and scheme behind a reverse proxy (IIS with ARR, nginx): believed only from ours.

Only a peer in TRUSTED_PROXIES is believed. X-Forwarded-For names the client: each proxy appends the
address it saw, so the list is walked from the right while the hops are trusted. ARR writes a hop as
`203.0.113.5:51234` (its default `includePortInXForwardedFor`) or `[2001:db8::1]:51234`; the port is
dropped, so every connection of one client is one address. X-Forwarded-Proto says whether the client
used HTTPS (IIS's rule sets it from `{HTTPS}`); a trusted proxy's last value wins.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

type Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def trusted_networks(entries: Iterable[str]) -> list[Network]:
    """TRUSTED_PROXIES as networks (a bare address is a one-address network)."""
    return [ipaddress.ip_network(entry, strict=False) for entry in entries]


def hop_address(hop: str) -> str:
    """One X-Forwarded-For entry without the port or brackets a proxy may add (`1.2.3.4:80`, `[::1]:80`)."""
    hop = hop.strip()
    if hop.startswith("["):
        end = hop.find("]")
        return hop[1:end] if end > 0 else hop
    if hop.count(":") == 1:  # IPv4 with a port; a bare IPv6 address has several colons
        return hop.split(":", 1)[0]
    return hop


def is_trusted(address: str | None, trusted: list[Network]) -> bool:
    """Whether `address` is one of our proxies."""
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return False
    return any(ip in network for network in trusted)


def client_ip(peer: str | None, forwarded_for: str | None, trusted: list[Network]) -> str:
    """The client's address: walk X-Forwarded-For from the right while hops are trusted proxies."""
    current = peer or "unknown"
    if not forwarded_for or not is_trusted(current, trusted):
        return current
    for hop in reversed([part.strip() for part in forwarded_for.split(",") if part.strip()]):
        current = hop_address(hop)
        if not is_trusted(current, trusted):
            break
    return current


def over_https(scheme: str, peer: str | None, forwarded_proto: str | None, trusted: list[Network]) -> bool:
    """Whether the client reached us over HTTPS: our own TLS, or a trusted proxy's `X-Forwarded-Proto: https`."""
    if scheme == "https":
        return True
    if not forwarded_proto or not is_trusted(peer, trusted):
        return False
    return forwarded_proto.split(",")[-1].strip().lower() == "https"
