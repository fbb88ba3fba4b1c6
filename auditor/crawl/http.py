"""The engine's one HTTP client: identifying User-Agent, ``--resolve``, polite retries, and
failures mapped to the closed set of :class:`~auditor.model.PageStatus` values.

Everything the engine fetches outside the browser (robots.txt, sitemaps, resource HEADs, site
probes) goes through :func:`make_client` and :func:`fetch`, so politeness and error reporting
are the same everywhere.
"""

from __future__ import annotations

import asyncio
import email.utils
import errno
import ipaddress
import re
import socket
import ssl
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, UTC
from typing import Any

import httpcore
import httpx

from auditor.crawl.address_guard import AddressGuard, PrivateAddressRefused
from auditor.model import PageStatus
from auditor.shared.urls import ascii_host

__all__ = [
    "ResolveMap",
    "parse_resolve",
    "parse_resolve_all",
    "make_client",
    "ResolvingTransport",
    "ResolvingBackend",
    "FetchResult",
    "fetch",
    "classify_exception",
    "classify_http_status",
    "parse_retry_after",
    "AuditClient",
    "read_capped",
    "DEFAULT_MAX_RESPONSE_BYTES",
    "DEFAULT_RESPONSE_DEADLINE_S",
]

# (host, port) → address, as given by --resolve HOST:PORT:ADDRESS
ResolveMap = Mapping[tuple[str, int], str]

RETRYABLE_STATUS = frozenset({429, 500, 502, 503, 504})
RETRY_AFTER_STATUS = frozenset({429, 503})
BLOCKING_STATUS = frozenset({401, 403, 429})
DEFAULT_MAX_REDIRECTS = 10
# Bodies read outside the browser (robots.txt, sitemaps, probes) stop at this many bytes, and a
# response must be complete within the deadline: the read timeout alone is reset by every byte,
# so a server trickling one byte a second (or never ending) would evade it.
DEFAULT_MAX_RESPONSE_BYTES = 5_000_000
DEFAULT_RESPONSE_DEADLINE_S = 60.0


# --------------------------------------------------------------------------- --resolve


def parse_resolve(spec: str) -> tuple[tuple[str, int], str]:
    """Parse curl's ``HOST:PORT:ADDRESS`` into ``((host, port), address)``.

    The address may be IPv6, bracketed or not (``host:443:[::1]`` or ``host:443:::1``).
    Raises ValueError with a one-line message a CLI can show as is.
    """
    host, sep1, rest = spec.strip().partition(":")
    port_text, sep2, address = rest.partition(":")
    if not (sep1 and sep2 and host and port_text and address):
        raise ValueError(
            f"--resolve {spec!r}: expected HOST:PORT:ADDRESS, e.g. www.example.be:443:127.0.0.1"
        )
    try:
        port = int(port_text)
    except ValueError:
        raise ValueError(f"--resolve {spec!r}: port {port_text!r} is not a number") from None
    if not 0 < port < 65536:
        raise ValueError(f"--resolve {spec!r}: port {port} is out of range 1-65535")
    address = address.strip("[]")
    try:
        ipaddress.ip_address(address)
    except ValueError:
        raise ValueError(f"--resolve {spec!r}: {address!r} is not an IP address") from None
    try:
        host = ascii_host(host)  # a Unicode host name maps the same as its punycode
    except ValueError as exc:
        raise ValueError(f"--resolve {spec!r}: {exc}") from None
    return (host, port), address


def parse_resolve_all(specs: Iterable[str]) -> dict[tuple[str, int], str]:
    """Parse several ``--resolve`` options into one map (later ones win, as in curl)."""
    return dict(parse_resolve(spec) for spec in specs)


class ResolvingBackend(httpcore.AsyncNetworkBackend):
    """Connects to the mapped address instead of resolving the host name.

    Working below the request (in the network backend) keeps the URL, the Host header, the
    connection pool key, TLS SNI and certificate verification on the real host name, exactly
    like curl's ``--resolve``.
    """

    def __init__(self, resolve: ResolveMap, inner: httpcore.AsyncNetworkBackend,
                 guard: AddressGuard | None = None) -> None:
        self._resolve = {(host.lower(), port): address for (host, port), address in resolve.items()}
        self._inner = inner
        self._guard = guard

    async def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                          local_address: str | None = None, socket_options: Any = None):
        address = self._resolve.get((host.lower().rstrip("."), port))
        if address is None:
            # every connection (each redirect hop too) is checked against the SSRF guard
            address = await self._guard.connect_address(host, port) if self._guard else host
        return await self._inner.connect_tcp(
            address, port, timeout=timeout, local_address=local_address,
            socket_options=socket_options,
        )

    async def connect_unix_socket(self, path: str, timeout: float | None = None,
                                  socket_options: Any = None):
        return await self._inner.connect_unix_socket(path, timeout=timeout,
                                                     socket_options=socket_options)

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


class ResolvingTransport(httpx.AsyncHTTPTransport):
    """httpx's transport with a ``--resolve`` map applied at connect time.

    httpx has no public hook for the network backend, so the pool's backend is wrapped after
    construction; a test guards against httpcore renaming the attribute.
    """

    def __init__(self, resolve: ResolveMap | None = None, guard: AddressGuard | None = None,
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if resolve or guard:
            pool = self._pool
            if not hasattr(pool, "_network_backend"):
                raise RuntimeError("this httpcore version does not support --resolve")
            pool._network_backend = ResolvingBackend(resolve or {}, pool._network_backend, guard)


class AuditClient(httpx.AsyncClient):
    """httpx's client carrying the per-response limits :func:`fetch` applies by default."""

    def __init__(self, *, max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
                 response_deadline_s: float = DEFAULT_RESPONSE_DEADLINE_S, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.max_response_bytes = max_response_bytes
        self.response_deadline_s = response_deadline_s


def make_client(
    user_agent: str,
    timeout: float = 20.0,
    resolve: ResolveMap | None = None,
    verify: bool | ssl.SSLContext = True,
    *,
    max_redirects: int = DEFAULT_MAX_REDIRECTS,
    max_connections: int = 10,
    headers: Mapping[str, str] | None = None,
    guard: AddressGuard | None = None,
    max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
    response_deadline_s: float = DEFAULT_RESPONSE_DEADLINE_S,
) -> AuditClient:
    """The engine's HTTP client: follows redirects (recorded in ``response.history``), sends
    an identifying User-Agent, and connects per ``resolve`` (see :func:`parse_resolve`).

    ``verify`` may be an ``ssl.SSLContext`` (tests pass one trusting a local CA). Proxy
    environment variables are ignored: the auditor talks to sites directly. With ``guard``,
    connections to private addresses outside the audited site are refused (SSRF).
    :func:`fetch` reads at most ``max_response_bytes`` of a body and gives a response
    ``response_deadline_s`` seconds in all (headers and body) before calling it a timeout.
    """
    transport = ResolvingTransport(
        resolve=resolve,
        guard=guard,
        verify=verify,
        limits=httpx.Limits(
            max_connections=max_connections, max_keepalive_connections=max_connections
        ),
    )
    base_headers = {"User-Agent": user_agent, "Accept-Language": "nl-BE,nl;q=0.9,en;q=0.5"}
    base_headers.update(headers or {})
    return AuditClient(
        max_response_bytes=max_response_bytes,
        response_deadline_s=response_deadline_s,
        transport=transport,
        headers=base_headers,
        timeout=httpx.Timeout(timeout),
        follow_redirects=True,
        max_redirects=max_redirects,
        trust_env=False,
    )


# --------------------------------------------------------------------------- classification


def classify_http_status(status: int) -> PageStatus:
    """OK for 1xx-3xx; BLOCKED when the site refuses us (401/403/429); else HTTP_ERROR."""
    if status < 400:
        return PageStatus.OK
    if status in BLOCKING_STATUS:
        return PageStatus.BLOCKED
    return PageStatus.HTTP_ERROR


def classify_exception(exc: BaseException) -> tuple[PageStatus, str]:
    """Map an httpx/network exception to a PageStatus and a one-line message.

    httpx wraps the OS error two levels deep (httpx → httpcore → OSError/SSLError), so the
    whole cause chain is inspected, not only the outer type.
    """
    chain = list(_exception_chain(exc))
    detail = _one_line(exc)
    refused = next((e for e in chain if isinstance(e, PrivateAddressRefused)), None)
    if refused is not None:
        return PageStatus.ERROR, _one_line(refused)
    if isinstance(exc, httpx.TooManyRedirects):
        return PageStatus.TOO_MANY_REDIRECTS, f"too many redirects: {detail}"
    if any(isinstance(e, (httpx.TimeoutException, httpcore.TimeoutException, TimeoutError,
                          asyncio.TimeoutError)) for e in chain):
        return PageStatus.TIMEOUT, f"timed out ({type(exc).__name__})"
    for e in chain:
        if isinstance(e, ssl.SSLCertVerificationError):
            reason = e.verify_message or _one_line(e)
            return PageStatus.INVALID_SSL_CERT, f"TLS certificate not valid: {reason}"
        if isinstance(e, ssl.SSLError):
            return PageStatus.INVALID_SSL_CERT, f"TLS handshake failed: {_one_line(e)}"
        if isinstance(e, socket.gaierror):
            return PageStatus.DNS_RESOLUTION_ERROR, f"host name not resolved: {_one_line(e)}"
        if isinstance(e, ConnectionRefusedError):
            return PageStatus.CONNECTION_REFUSED, "connection refused"
        if isinstance(e, (ConnectionResetError, BrokenPipeError, ConnectionAbortedError)):
            return PageStatus.CONNECTION_RESET, "connection reset by peer"
    text = " ".join(_one_line(e) for e in chain).lower()
    if "certificate" in text or "ssl" in text or "tls" in text:
        return PageStatus.INVALID_SSL_CERT, f"TLS error: {detail}"
    if _looks_like_dns_failure(text):
        return PageStatus.DNS_RESOLUTION_ERROR, f"host name not resolved: {detail}"
    if "refused" in text or _has_errno(chain, errno.ECONNREFUSED):
        return PageStatus.CONNECTION_REFUSED, "connection refused"
    if "reset" in text or "disconnected" in text or _has_errno(chain, errno.ECONNRESET):
        return PageStatus.CONNECTION_RESET, f"connection closed by the server: {detail}"
    return PageStatus.ERROR, f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__


def _exception_chain(exc: BaseException):
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def _has_errno(chain: list[BaseException], number: int) -> bool:
    return any(isinstance(e, OSError) and e.errno == number for e in chain)


_DNS_WORDS = re.compile(
    r"name or service not known|nodename nor servname|temporary failure in name resolution"
    r"|no address associated|getaddrinfo failed|name resolution"
)


def _looks_like_dns_failure(text: str) -> bool:
    return bool(_DNS_WORDS.search(text))


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:300]


# --------------------------------------------------------------------------- fetch


@dataclass
class FetchResult:
    """What one polite fetch produced: a response (any status), or a classified failure."""

    url: str
    response: httpx.Response | None = None
    failure: PageStatus | None = None
    error: str = ""
    attempts: int = 0
    waited: float = 0.0  # seconds spent in backoff and Retry-After
    statuses: list[int] = field(default_factory=list)  # status of every attempt that got one
    truncated: bool = False  # the body was cut at the byte cap: response.content is its start
    bytes_read: int = 0  # body bytes received for the last response (at most cap + one chunk)

    @property
    def ok(self) -> bool:
        """True when a response arrived with a status below 400."""
        return self.response is not None and self.response.status_code < 400

    @property
    def status(self) -> PageStatus:
        """The page status this fetch amounts to."""
        if self.failure is not None:
            return self.failure
        assert self.response is not None
        return classify_http_status(self.response.status_code)


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header: delta seconds or an HTTP date; None if absent
    or unreadable. Fractions are accepted (not standard, but harmless and handy in tests)."""
    if not value:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when is None:
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = (when - (now or datetime.now(UTC))).total_seconds()
    return max(0.0, seconds)


# Failures worth another try: the server or the path to it may recover in a second. DNS, TLS
# and redirect loops will not, and retrying them only delays the report.
_TRANSIENT_FAILURES = frozenset({PageStatus.CONNECTION_RESET, PageStatus.TIMEOUT, PageStatus.ERROR})


async def fetch(
    client: httpx.AsyncClient,
    url: str,
    retries: int = 2,
    *,
    method: str = "GET",
    backoff: float = 0.5,
    max_wait: float = 30.0,
    headers: Mapping[str, str] | None = None,
    max_bytes: int | None = None,
    deadline_s: float | None = None,
    follow_redirects: bool | None = None,
) -> FetchResult:
    """Fetch ``url`` politely: retry 429/5xx and transient network errors up to ``retries``
    times with exponential backoff (``backoff`` × 2^n), waiting what ``Retry-After`` asks on
    429/503 but never more than ``max_wait`` seconds at once.

    The body is streamed and cut at ``max_bytes`` (``truncated`` says so); each attempt must
    be complete within ``deadline_s`` seconds, else it is a timeout that is not retried (a
    server that trickles will trickle again). Both default to the :class:`AuditClient`'s
    limits; ``follow_redirects`` overrides the client's. Never raises for network trouble: the result carries the last response (whatever
    its status) or the classified failure and a one-line message.
    """
    cap = max_bytes if max_bytes is not None else getattr(client, "max_response_bytes", DEFAULT_MAX_RESPONSE_BYTES)
    deadline = deadline_s if deadline_s is not None else getattr(
        client, "response_deadline_s", DEFAULT_RESPONSE_DEADLINE_S)
    result = FetchResult(url=url)
    for attempt in range(retries + 1):
        result.attempts = attempt + 1
        try:
            response, result.truncated, result.bytes_read = await _request_capped(
                client, method, url, headers, cap, deadline,
                httpx.USE_CLIENT_DEFAULT if follow_redirects is None else follow_redirects)
        except _DeadlinePassed as passed:
            result.response, result.truncated = None, False
            result.failure = PageStatus.TIMEOUT
            result.error = (f"response not complete within the {deadline:g} s deadline "
                            f"({passed.bytes_read} body bytes received)")
            result.bytes_read = passed.bytes_read
            return result
        except (httpx.HTTPError, TimeoutError) as exc:  # TooManyRedirects, every transport error
            result.response = None
            result.failure, result.error = classify_exception(exc)
            if result.failure not in _TRANSIENT_FAILURES or attempt == retries:
                return result
            delay = backoff * 2**attempt
        else:
            result.response, result.failure, result.error = response, None, ""
            result.statuses.append(response.status_code)
            if response.status_code not in RETRYABLE_STATUS or attempt == retries:
                return result
            delay = backoff * 2**attempt
            if response.status_code in RETRY_AFTER_STATUS:
                asked = parse_retry_after(response.headers.get("retry-after"))
                if asked is not None:
                    delay = asked
        delay = min(delay, max_wait)
        started = time.monotonic()
        await asyncio.sleep(delay)
        result.waited += time.monotonic() - started
    return result


class _DeadlinePassed(Exception):
    def __init__(self, bytes_read: int) -> None:
        super().__init__(f"deadline passed after {bytes_read} bytes")
        self.bytes_read = bytes_read


async def read_capped(response: httpx.Response, max_bytes: int, progress: list[int] | None = None
                      ) -> tuple[bytes, bool]:
    """Read a streamed response's (decoded) body, stopping once more than ``max_bytes``
    arrived: returns the first ``max_bytes`` and whether the body was cut. ``progress[0]``, when
    given, counts the bytes received so far (readable after a cancellation)."""
    body = bytearray()
    async for chunk in response.aiter_bytes():
        body += chunk
        if progress is not None:
            progress[0] = len(body)
        if len(body) > max_bytes:
            return bytes(body[:max_bytes]), True
    return bytes(body), False


async def _request_capped(client: httpx.AsyncClient, method: str, url: str,
                          headers: Mapping[str, str] | None, max_bytes: int, deadline_s: float,
                          follow_redirects: Any) -> tuple[httpx.Response, bool, int]:
    """One request, its body read up to ``max_bytes``, all within ``deadline_s`` seconds."""
    progress = [0]
    deadline = asyncio.timeout(deadline_s)
    try:
        async with deadline:
            async with client.stream(method, url, headers=headers, follow_redirects=follow_redirects) as response:
                body, truncated = await read_capped(response, max_bytes, progress)
    except TimeoutError:
        if not deadline.expired():
            raise
        raise _DeadlinePassed(progress[0]) from None
    # the body read so far becomes the response's content, so .content and .text work as
    # after an ordinary read (httpx offers no public setter for a partly read stream)
    response._content = body
    return response, truncated, progress[0]
