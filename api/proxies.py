"""The client's address, as seen through the reverse proxies the operator trusts.

Why not uvicorn's default: it trusts `X-Forwarded-For` from 127.0.0.1, so anyone on the machine (or
a proxy that passes the header through) could pick the address that login throttling counts
failures for, and rotate it after every 429. Here the header is read only when the direct peer is
in FORWARDED_ALLOW_IPS (empty by default: the header is ignored).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence

from fastapi import Request

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(value: str) -> tuple[Network, ...]:
    """`"10.0.0.1, 192.168.0.0/16"` → networks; raises ValueError (French) on a bad entry."""
    networks: list[Network] = []
    for item in (part.strip() for part in value.split(",")):
        if not item:
            continue
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError as error:
            raise ValueError(f"FORWARDED_ALLOW_IPS : adresse ou réseau invalide : {item!r}") from error
    return tuple(networks)


def _trusted(address: str, networks: Sequence[Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_address(peer: str | None, forwarded_for: str | None, trusted: Sequence[Network]) -> str:
    """The peer, or, when the peer is a trusted proxy, the nearest address in X-Forwarded-For that
    is not itself a trusted proxy (each proxy appends the address it received the request from, so
    only the right-hand entries are vouched for)."""
    address = peer or "inconnu"
    if not forwarded_for or not _trusted(address, trusted):
        return address
    hops = [hop.strip() for hop in forwarded_for.split(",") if hop.strip()]
    for hop in reversed(hops):
        if not _trusted(hop, trusted):
            return hop
    return hops[0] if hops else address


def request_client_address(request: Request) -> str:
    """`client_address` for a request, with the app's trusted proxies."""
    trusted: tuple[Network, ...] = request.app.state.settings.trusted_proxies
    return client_address(request.client.host if request.client else None,
                          request.headers.get("x-forwarded-for"), trusted)
