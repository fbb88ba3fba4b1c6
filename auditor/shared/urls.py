"""URLs as the crawler sees them: normalised, de-duplicated, in or out of scope.

A site links to the same page in many spellings (``/a/`` and ``/a``, ``#top``, ``?utm_source=``,
``:443``, upper-case host names). Visiting each spelling would waste the page budget and count
one page several times, so every discovered URL is normalised first and compared by a key.
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from posixpath import splitext
from urllib.parse import quote, unquote, urljoin, urlsplit, urlunsplit

import idna

from auditor.model import SkipReason

__all__ = [
    "Scope",
    "is_http_url",
    "is_private_address",
    "looks_like_document",
    "document_extension",
    "normalize_url",
    "url_key",
    "host_of",
    "ascii_host",
    "ascii_host_url",
    "display_host",
    "display_url",
    "TRACKING_PARAMS",
]

HTTP_SCHEMES = frozenset({"http", "https"})
DEFAULT_PORTS = {"http": 80, "https": 443}

# Parameters that only tell analytics where a visitor came from; they never change the page.
TRACKING_PARAMS = frozenset(
    {
        "fbclid", "gclid", "gclsrc", "dclid", "gbraid", "wbraid", "msclkid", "yclid",
        "twclid", "igshid", "li_fat_id", "mc_cid", "mc_eid", "_ga", "_gl", "_hsenc",
        "_hsmi", "mkt_tok", "oly_anon_id", "oly_enc_id", "vero_id", "vero_conv",
        "_openstat", "ttclid", "srsltid", "phpsessid", "jsessionid", "sid_tracking",
    }
)
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_")  # Google Analytics, Piwik and Matomo campaigns

# Java application servers put the session into the path (";jsessionid=…"); it is not the page.
_PATH_SESSION = re.compile(r";jsessionid=[^/?#]*", re.IGNORECASE)
_PERCENT_ESCAPE = re.compile(r"%[0-9a-fA-F]{2}")

# Characters left as they are when re-quoting, so that an already valid URL is unchanged and a
# browser-resolved URL and a raw href with accents end up as the same string.
_PATH_SAFE = "/%:@!$&'()*+,;=-._~"
_QUERY_SAFE = "/?%:@!$&'()*+,;=-._~"


def is_http_url(url: str) -> bool:
    """True for an absolute http(s) URL with a host: the only kind the crawler can visit."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    return parts.scheme.lower() in HTTP_SCHEMES and bool(parts.hostname)


def normalize_url(url: str, base: str | None = None) -> str:
    """Return the canonical spelling of an http(s) URL, resolved against ``base`` if given.

    Lower-cases scheme and host, converts international host names to punycode, drops the
    fragment, default ports, credentials and tracking parameters, removes dot segments, sorts
    the query and fixes percent-escapes. The trailing slash is kept, because a server may
    treat ``/a`` and ``/a/`` differently; :func:`url_key` is what treats them as one page.

    Raises ValueError when the result is not an http(s) URL with a host.
    """
    raw = url.strip()
    if base:
        raw = urljoin(base, raw)
    try:
        parts = urlsplit(raw)
        port = parts.port
    except ValueError as exc:
        raise ValueError(f"not a valid URL: {url!r} ({exc})") from None
    scheme = parts.scheme.lower()
    if scheme not in HTTP_SCHEMES:
        raise ValueError(f"not an http(s) URL: {url!r}")
    host = _normalize_host(parts.hostname or "")
    if not host:
        raise ValueError(f"URL has no host: {url!r}")
    netloc = f"[{host}]" if ":" in host else host
    if port is not None and port != DEFAULT_PORTS[scheme]:
        netloc = f"{netloc}:{port}"
    path = _normalize_path(parts.path)
    query = _normalize_query(parts.query)
    return urlunsplit((scheme, netloc, path, query, ""))


def url_key(url: str, base: str | None = None) -> str:
    """The de-duplication key: two URLs with the same key are the same page to the crawler.

    Same as :func:`normalize_url`, plus ``/a/`` and ``/a`` collapse (the root stays ``/``).
    """
    normalized = normalize_url(url, base)
    parts = urlsplit(normalized)
    path = parts.path
    if len(path) > 1 and path.endswith("/"):
        path = path.rstrip("/") or "/"
    return urlunsplit((parts.scheme, parts.netloc, path, parts.query, ""))


def scheme_of(url: str) -> str:
    """The lower-cased scheme of a URL; "" for one that does not parse (crawled URLs are hostile)."""
    try:
        return urlsplit(url).scheme.lower()
    except ValueError:
        return ""


def same_page_key(url: str) -> str:
    """A loose identity for telling whether a link points at a page already seen: unlike
    :func:`url_key` (the crawler's exact identity), the scheme, ``www.``, the fragment, a
    default port and a trailing slash do not make two addresses different pages here."""
    if not url:
        return ""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return url.strip()
    host = strip_www((parts.hostname or "").lower())
    port = port if port not in (None, 80, 443) else None
    netloc = f"{host}:{port}" if port else host
    path = parts.path.rstrip("/") or "/"
    return f"{netloc}{path}" + (f"?{parts.query}" if parts.query else "")


def host_of(url: str) -> str:
    """The normalised host name of a URL (punycode, lower case, no port), or ""."""
    try:
        return _normalize_host(urlsplit(url.strip()).hostname or "")
    except ValueError:
        return ""


def ascii_host(host: str) -> str:
    """A host name as the crawl and ``result.json`` spell it: lower case, punycode
    (``gemeente-ö.be`` → ``xn--gemeente--87a.be``). Raises ValueError for an invalid name."""
    return _normalize_host(host)


def ascii_host_url(url: str) -> str:
    """``url`` with only its host name in the ASCII (punycode) form; the rest as given.
    An URL without a readable host is returned as it is."""
    try:
        parts = urlsplit(url)
        host, port = parts.hostname or "", parts.port
    except ValueError:
        return url
    if not host or host.isascii():
        return url
    netloc = ascii_host(host) + (f":{port}" if port is not None else "")
    if "@" in parts.netloc:
        netloc = parts.netloc.rsplit("@", 1)[0] + "@" + netloc
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def display_host(host: str) -> str:
    """A host name as a person reads it: punycode labels shown in Unicode when they are
    Latin script only (``xn--gemeente--87a.be`` → ``gemeente-ö.be``). A label that mixes in
    other scripts (a homograph such as a Cyrillic ``а`` in a Latin name) stays in punycode,
    so a look-alike of the audited host is visibly another host, as in browsers."""
    labels = []
    for label in host.split("."):
        shown = label
        if label.lower().startswith("xn--"):
            try:
                decoded = idna.decode(label)
            except (idna.IDNAError, UnicodeError):
                decoded = ""
            if decoded and _latin_only(decoded):
                shown = decoded
        labels.append(shown)
    return ".".join(labels)


def display_url(url: str) -> str:
    """``url`` with its host shown by :func:`display_host`; the rest unchanged."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
    except ValueError:
        return url
    if "xn--" not in host:
        return url
    at = parts.netloc.rfind("@") + 1
    start = parts.netloc.lower().find(host, at)
    if start < 0:
        return url
    netloc = parts.netloc[:start] + display_host(host) + parts.netloc[start + len(host):]
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def _latin_only(label: str) -> bool:
    return all(not char.isalpha() or unicodedata.name(char, "").startswith("LATIN ") for char in label)


def _normalize_host(host: str) -> str:
    host = host.strip().rstrip(".").lower()
    if not host:
        return ""
    if _is_ip_literal(host):
        return str(ipaddress.ip_address(host))
    if host.isascii():
        return host
    try:
        return idna.encode(host, uts46=True).decode("ascii")
    except idna.IDNAError:
        # Python's older IDNA 2003 codec accepts some names IDNA 2008 refuses (e.g. emoji).
        try:
            return host.encode("idna").decode("ascii")
        except UnicodeError as exc:
            raise ValueError(f"invalid international host name {host!r}") from exc


def _is_ip_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _normalize_path(path: str) -> str:
    path = _PATH_SESSION.sub("", path)
    path = _remove_dot_segments(path) if path else "/"
    return quote(_upper_escapes(path), safe=_PATH_SAFE) or "/"


def _remove_dot_segments(path: str) -> str:
    """RFC 3986 section 5.2.4, so ``/a/./b/../c`` and ``/a/c`` are the same page."""
    output: list[str] = []
    segments = path.split("/")
    for index, segment in enumerate(segments):
        last = index == len(segments) - 1
        if segment == ".":
            if last:
                output.append("")
        elif segment == "..":
            if len(output) > 1:
                output.pop()
            if last:
                output.append("")
        else:
            output.append(segment)
    result = "/".join(output)
    return result if result.startswith("/") else "/" + result


def _normalize_query(query: str) -> str:
    if not query:
        return ""
    kept = []
    for pair in query.split("&"):
        if not pair:
            continue
        name = unquote(pair.split("=", 1)[0].replace("+", " ")).strip().lower()
        if name in TRACKING_PARAMS or name.startswith(TRACKING_PREFIXES):
            continue
        kept.append(quote(_upper_escapes(pair), safe=_QUERY_SAFE))
    # A stable sort by name only would keep repeated names in page order; sorting the whole
    # pair is simpler and servers do not depend on the order of distinct parameters.
    return "&".join(sorted(kept))


def _upper_escapes(text: str) -> str:
    return _PERCENT_ESCAPE.sub(lambda m: m.group(0).upper(), text)


# --------------------------------------------------------------------------- documents

# Extensions of resources that are recorded (URL, type, size) but never rendered.
DOCUMENT_EXTENSIONS = frozenset(
    {
        # office and text documents
        "pdf", "doc", "docx", "docm", "dot", "dotx", "xls", "xlsx", "xlsm", "xlsb", "ppt",
        "pptx", "pps", "ppsx", "odt", "ods", "odp", "odg", "rtf", "txt", "csv", "tsv",
        "epub", "mobi", "xml", "json", "ics", "vcf", "gpx", "kml", "kmz", "geojson",
        # archives and installers (never run: DESIGN rule 8)
        "zip", "gz", "tgz", "bz2", "xz", "7z", "rar", "tar", "exe", "msi", "dmg", "pkg",
        "apk", "deb", "rpm", "iso", "jar",
        # images
        "jpg", "jpeg", "png", "gif", "bmp", "tif", "tiff", "svg", "webp", "avif", "heic",
        "ico", "eps", "ai", "psd",
        # audio and video
        "mp3", "mp4", "m4a", "m4v", "wav", "ogg", "oga", "ogv", "webm", "avi", "mov", "wmv",
        "flv", "mkv", "mpg", "mpeg", "flac", "aac",
        # fonts, styles and scripts linked by mistake
        "woff", "woff2", "ttf", "otf", "eot", "css", "js",
    }
)


def document_extension(url: str) -> str:
    """The lower-case extension of a URL's last path segment ("" when it has none)."""
    try:
        path = urlsplit(url.strip()).path
    except ValueError:
        return ""
    last = unquote(path.rsplit("/", 1)[-1])
    return splitext(last)[1].lstrip(".").lower()


def looks_like_document(url: str) -> bool:
    """True when the URL's extension says it is not an HTML page (PDF, office file, image…).

    Judged by the name only, so the crawler can route it before any request; the runner
    still records the Content-Type it finally gets.
    """
    return document_extension(url) in DOCUMENT_EXTENSIONS


# --------------------------------------------------------------------------- addresses

_LOCAL_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"})
_SHARED_ADDRESS_SPACE = ipaddress.ip_network("100.64.0.0/10")  # carrier-grade NAT


def is_private_address(host: str) -> bool:
    """True for loopback, private, link-local, unspecified and reserved addresses.

    A pure function of the string: IP literals (with or without IPv6 brackets) and the
    ``localhost`` names are judged; any other name is False, because resolving it is I/O
    and belongs to the caller, who then passes the resolved address here.
    """
    name = host.strip().strip("[]").rstrip(".").lower()
    if "%" in name:  # IPv6 zone index, as in fe80::1%eth0
        name = name.split("%", 1)[0]
    if name in _LOCAL_NAMES or name.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(name)
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return (
        address.is_loopback
        or address.is_private
        or address.is_link_local
        or address.is_unspecified
        or address.is_reserved
        or (isinstance(address, ipaddress.IPv4Address) and address in _SHARED_ADDRESS_SPACE)
    )


# --------------------------------------------------------------------------- scope


@lru_cache(maxsize=1)
def _offline_extractor():
    """tldextract with its bundled public-suffix snapshot: it must never go to the network."""
    import tldextract

    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


def registrable_domain(host: str) -> str:
    """``www.gemeente.be`` → ``gemeente.be``; "" for IP addresses and bare names."""
    if not host or _is_ip_literal(host.strip("[]")):
        return ""
    return _offline_extractor()(host).top_domain_under_public_suffix


def strip_www(host: str) -> str:
    """The host without a leading ``www.``: sites link both, and mean one site."""
    return host[4:] if host.startswith("www.") else host


@dataclass
class Scope:
    """Which URLs belong to the audited site.

    In scope: the start URLs' hosts (``www.x.be`` and ``x.be`` count as one, since sites link
    both), on either scheme, on the same explicit port. With ``include_subdomains``, any host
    of the same registrable domain (``loket.x.be`` for ``www.x.be``). Then ``include``
    patterns (regular expressions searched in the full normalised URL; at least one must
    match) and ``exclude`` patterns (none may match) narrow it.
    """

    start_urls: Iterable[str]
    include_subdomains: bool = False
    include: Iterable[str] = ()
    exclude: Iterable[str] = ()
    _origins: set[tuple[str, int | None]] = field(init=False, repr=False)
    _domains: set[str] = field(init=False, repr=False)
    _include: list[re.Pattern[str]] = field(init=False, repr=False)
    _exclude: list[re.Pattern[str]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.start_urls = [normalize_url(u) for u in self.start_urls]
        if not self.start_urls:
            raise ValueError("a scope needs at least one start URL")
        self._origins = {_origin(u) for u in self.start_urls}
        self._domains = {registrable_domain(host) for host, _ in self._origins} - {""}
        self._include = _compile_patterns(self.include, "--include")
        self._exclude = _compile_patterns(self.exclude, "--exclude")

    def host_in_scope(self, url: str) -> bool:
        """True when the URL's host (and port) belongs to the site, ignoring patterns."""
        host, port = _origin(url)
        if (host, port) in self._origins:
            return True
        if not self.include_subdomains:
            return False
        start_ports = {p for _, p in self._origins}
        return port in start_ports and registrable_domain(host) in self._domains

    def check(self, url: str) -> SkipReason | None:
        """None when the crawler may visit ``url``; otherwise why it may not."""
        try:
            normalized = normalize_url(url)
        except ValueError:
            return SkipReason.UNSUPPORTED_SCHEME
        if not self.host_in_scope(normalized):
            return SkipReason.OUT_OF_SCOPE
        return self.check_patterns(normalized)

    def check_patterns(self, url: str) -> SkipReason | None:
        """Apply only the include/exclude patterns (start URLs bypass the other rules)."""
        if self._include and not any(p.search(url) for p in self._include):
            return SkipReason.EXCLUDED_BY_PATTERN
        if any(p.search(url) for p in self._exclude):
            return SkipReason.EXCLUDED_BY_PATTERN
        return None

    __call__ = check


class FirstParty:
    """Which requests are the site's own: the start URLs' hosts and their registrable domains
    (``cdn.gemeente.be`` is first party for ``www.gemeente.be``; an IP literal stands alone).
    Everything else is a third party, recorded and, with ``--block-third-party``, aborted."""

    def __init__(self, start_urls: Iterable[str]):
        self.hosts = {host_of(u) for u in start_urls}
        self.domains = {registrable_domain(h) for h in self.hosts} - {""}

    def is_third_party(self, url: str) -> bool:
        host = host_of(url)
        if not host:
            return False  # data:, blob: and about: URLs belong to the page itself
        return host not in self.hosts and registrable_domain(host) not in self.domains


def _origin(url: str) -> tuple[str, int | None]:
    """(host without "www.", explicit non-default port or None): what scope compares."""
    parts = urlsplit(normalize_url(url))
    host = strip_www(_normalize_host(parts.hostname or ""))
    port = parts.port
    if port == DEFAULT_PORTS.get(parts.scheme):
        port = None
    return host, port


def _compile_patterns(patterns: Iterable[str], option: str) -> list[re.Pattern[str]]:
    compiled = []
    for pattern in patterns:
        try:
            compiled.append(re.compile(pattern))
        except re.error as exc:
            raise ValueError(f"invalid {option} pattern {pattern!r}: {exc}") from None
    return compiled

