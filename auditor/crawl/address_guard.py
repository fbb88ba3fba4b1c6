"""Server-side request forgery guard: the auditor never reaches private, loopback or
link-local addresses that are not the audited site.

A hostile page can link or redirect to ``http://169.254.169.254/`` (cloud metadata),
``http://10.0.0.5/admin`` or ``http://localhost:6379/``; an auditor running inside a
government network would then probe that network for the site. The audited start hosts
(on their own port and 80/443) and the hosts the operator mapped with ``--resolve`` are
trusted, since the operator named them; every other connection to a private address is
refused. The HTTP client checks at connect time (every redirect hop, sitemap, document and
login-probe request), and it connects to the very address it checked, so a second DNS answer
cannot swap it. The browser checks each request in a route handler before it is sent.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Iterable, Mapping
from urllib.parse import urlsplit

import httpcore

from auditor.shared.urls import DEFAULT_PORTS, host_of, is_private_address

__all__ = ["AddressGuard", "PrivateAddressRefused"]


class PrivateAddressRefused(httpcore.ConnectError):
    """A connection to a private address outside the audited site was refused."""


def _www_twins(host: str) -> set[str]:
    bare = host[4:] if host.startswith("www.") else host
    return {bare, f"www.{bare}"}


class AddressGuard:
    """Decides, per (host, port), whether the auditor may connect there."""

    def __init__(self, start_urls: Iterable[str], resolve: Mapping[tuple[str, int], str] | None = None):
        self._trusted: set[tuple[str, int]] = set()
        for url in start_urls:
            host = host_of(url)
            if not host:
                continue
            parts = urlsplit(url.strip())
            ports = {80, 443}
            try:
                if parts.port is not None:
                    ports.add(parts.port)
            except ValueError:
                pass
            for name in _www_twins(host):
                self._trusted.update((name, port) for port in ports)
        for host, port in (resolve or {}):
            self._trusted.add((host.lower().rstrip("."), port))
        self._answers: dict[tuple[str, int], list[str]] = {}
        self.refused: list[str] = []  # URLs (browser) and host:port (HTTP client) refused, in order

    def trusts(self, host: str, port: int) -> bool:
        """True for the audited site's own hosts and the operator's --resolve hosts."""
        return (host.lower().strip("[]").rstrip("."), port) in self._trusted

    async def _addresses(self, host: str, port: int) -> list[str]:
        name = host.strip("[]")
        try:
            ipaddress.ip_address(name)
            return [name]
        except ValueError:
            pass
        key = (name.lower(), port)
        if key not in self._answers:
            loop = asyncio.get_running_loop()
            try:
                infos = await loop.getaddrinfo(name, port, type=socket.SOCK_STREAM)
            except (OSError, UnicodeError):
                infos = []  # unresolvable: the connection attempt reports it in its own words
            self._answers[key] = list(dict.fromkeys(info[4][0] for info in infos))
        return self._answers[key]

    async def connect_address(self, host: str, port: int) -> str:
        """The address to connect to for ``host:port``; raises :class:`PrivateAddressRefused`
        when it is private and not trusted. An unresolvable name is returned unchanged."""
        if self.trusts(host, port):
            return host
        if is_private_address(host):
            self._refuse(f"{host}:{port}")
        addresses = await self._addresses(host, port)
        if not addresses:
            return host
        if any(is_private_address(address) for address in addresses):
            self._refuse(f"{host}:{port}")
        return addresses[0]

    async def refuses_url(self, url: str) -> bool:
        """True when a request to ``url`` (http, https, ws, wss) would reach a private address
        outside the audited site. Other schemes (data:, blob:, about:) never leave the browser."""
        try:
            parts = urlsplit(url)
            scheme = parts.scheme.lower()
            port = parts.port
        except ValueError:
            return False
        default = {"ws": 80, "wss": 443}.get(scheme, DEFAULT_PORTS.get(scheme))
        host = (parts.hostname or "").rstrip(".").lower()
        if default is None or not host:
            return False
        port = port or default
        try:
            await self.connect_address(host, port)
        except PrivateAddressRefused:
            self.refused[-1] = url
            return True
        return False

    def _refuse(self, target: str) -> None:
        self.refused.append(target)
        raise PrivateAddressRefused(
            f"refused to connect to {target}: a private address outside the audited site"
        )
