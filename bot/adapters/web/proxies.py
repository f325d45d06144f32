"""The client's address behind trusted reverse proxies (``FORWARDED_ALLOW_IPS``), for rate limits and throttling."""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence

from aiohttp import web
from aiohttp.typedefs import Handler, Middleware

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(values: Sequence[str]) -> tuple[Network, ...] | None:
    """``["*"]`` trusts every peer (``None``); otherwise addresses or CIDR networks. Raises ``ValueError``."""
    if "*" in values:
        return None
    return tuple(ipaddress.ip_network(v.strip(), strict=False) for v in values)


def _trusted(address: str, networks: tuple[Network, ...] | None) -> bool:
    if networks is None:
        return True
    try:
        ip = ipaddress.ip_address(address.strip().strip("[]"))
    except ValueError:
        return False
    return any(ip in net for net in networks)


def client_address(peer: str | None, forwarded_for: Sequence[str], networks: tuple[Network, ...] | None) -> str | None:
    """The nearest address not ours: X-Forwarded-For is read from the right while each hop is a trusted proxy.

    Entries further left were written by the client itself and prove nothing, so reading stops at the first
    untrusted hop; with every peer trusted (``*``) the proxy that talks to us is the only witness we have.
    """
    if peer is None or not _trusted(peer, networks):
        return peer
    hops = [h.strip() for line in forwarded_for for h in line.split(",") if h.strip()]
    if not hops:
        return peer
    if networks is None:
        return hops[-1]
    for hop in reversed(hops):
        if not _trusted(hop, networks):
            return hop
    return hops[0]


def forwarded_client(networks: tuple[Network, ...] | None) -> Middleware:
    """Middleware: requests from a trusted proxy carry the client's address as ``request.remote``."""

    @web.middleware
    async def middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
        remote = client_address(request.remote, request.headers.getall("X-Forwarded-For", []), networks)
        if remote is not None and remote != request.remote:
            request = request.clone(remote=remote)
        return await handler(request)

    return middleware
