"""URLs a tenant supplies (a Promidata import URL, the family and image URLs in its feed): only http(s), and never
an address inside our own network — loopback, private, link-local, multicast or reserved — unless the host is
one a setting names (the local sandbox lives on 127.0.0.1). The host is resolved, so a name pointing inside is
refused too."""

import asyncio
import ipaddress
import socket
from urllib.parse import urlsplit


class UnsafeUrl(ValueError):
    """The URL may not be fetched (nor handed to Shopify to fetch); the message says why."""


def _inside(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    return (
        ip.is_loopback
        or ip.is_private
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
        or (isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None and _inside(str(ip.ipv4_mapped)))
    )


def check_scheme(url: str) -> str:
    """The URL's host, when it is an absolute http(s) URL; UnsafeUrl otherwise."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UnsafeUrl(f"not an http(s) URL: {url[:200]!r}")
    return parts.hostname


async def check_url(url: str, *, allowed_hosts: frozenset[str] = frozenset()) -> None:
    """UnsafeUrl unless `url` is http(s) and every address its host has is public (or the host is allowed)."""
    host = check_scheme(url)
    if host in allowed_hosts:
        return
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except OSError as exc:
        raise UnsafeUrl(f"host {host!r} does not resolve: {exc}") from None
    inside = sorted({str(info[4][0]) for info in infos if _inside(str(info[4][0]))})
    if inside:
        raise UnsafeUrl(f"host {host!r} is a loopback, private or link-local address ({', '.join(inside)})")
