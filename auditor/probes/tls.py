"""TLS probe: certificate, verification verdict and protocol versions of one host, without a browser.

The browser reports every local TLS failure as ``ERR_CERT_AUTHORITY_INVALID``; users need to know
*why* (expired? wrong host? self-signed?). So this probe:

1. connects once **with** verification (system trust store, or ``ca_file``) and records the
   verdict and OpenSSL's own reason ("certificate has expired", "Hostname mismatch, …");
2. when that fails, connects once **without** verification, only to read the leaf certificate,
   so the report can show the certificate that was refused;
3. probes TLS 1.0, 1.1, 1.2 and 1.3 one at a time (minimum = maximum = that version).

It never raises for network trouble: DNS, refused, reset, timeout and TLS errors are classified
in :attr:`TlsReport.failure` with one line in :attr:`TlsReport.error`.

Blocking ``ssl`` sockets run in worker threads (``asyncio.to_thread``): the standard library
gives the exact verification error code there, and each socket has its own timeout so no thread
outlives the probe by much.
"""

from __future__ import annotations

import asyncio
import ipaddress
import math
import socket
import ssl
import warnings
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from functools import lru_cache
from typing import Any, Optional

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed448, ed25519, rsa
from cryptography.x509.oid import ExtensionOID, NameOID

# ---------------------------------------------------------------------------- vocabulary

# Network failures; the values match auditor.model.PageStatus where one exists.
FAILURE_DNS = "dns_resolution_error"
FAILURE_REFUSED = "connection_refused"
FAILURE_RESET = "connection_reset"
FAILURE_TIMEOUT = "timeout"
FAILURE_TLS = "tls_error"  # TCP worked, no TLS handshake could be completed at all
FAILURE_ERROR = "error"

# Why verification failed, from OpenSSL's X509_V_ERR_* codes.
REASON_EXPIRED = "expired"
REASON_NOT_YET_VALID = "not_yet_valid"
REASON_SELF_SIGNED = "self_signed"
REASON_UNKNOWN_ISSUER = "unknown_issuer"
REASON_HOSTNAME_MISMATCH = "hostname_mismatch"
REASON_WEAK = "weak_key_or_signature"
REASON_HANDSHAKE = "handshake_failed"  # no certificate verdict: the handshake itself failed
REASON_OTHER = "other"

_VERIFY_CODE_REASONS = {
    9: REASON_NOT_YET_VALID,  # X509_V_ERR_CERT_NOT_YET_VALID
    10: REASON_EXPIRED,  # X509_V_ERR_CERT_HAS_EXPIRED
    18: REASON_SELF_SIGNED,  # X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT
    19: REASON_SELF_SIGNED,  # X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN
    2: REASON_UNKNOWN_ISSUER,  # X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT
    20: REASON_UNKNOWN_ISSUER,  # X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY
    21: REASON_UNKNOWN_ISSUER,  # X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE
    62: REASON_HOSTNAME_MISMATCH,  # X509_V_ERR_HOSTNAME_MISMATCH
    64: REASON_HOSTNAME_MISMATCH,  # X509_V_ERR_IP_ADDRESS_MISMATCH
    66: REASON_WEAK,  # X509_V_ERR_EE_KEY_TOO_SMALL
    67: REASON_WEAK,  # X509_V_ERR_CA_KEY_TOO_SMALL
    68: REASON_WEAK,  # X509_V_ERR_CA_MD_TOO_WEAK
}

# Protocol probe verdicts.
PROTOCOL_ACCEPTED = "accepted"
PROTOCOL_REFUSED = "refused"
PROTOCOL_NOT_TESTABLE = "not_testable"  # the local OpenSSL cannot offer this version at all
PROTOCOL_NOT_TESTED = "not_tested"  # the host could not be reached
PROTOCOL_ERROR = "error"  # network trouble during this probe: no verdict

PROTOCOL_VERSIONS: dict[str, ssl.TLSVersion] = {
    "TLSv1.0": ssl.TLSVersion.TLSv1,
    "TLSv1.1": ssl.TLSVersion.TLSv1_1,
    "TLSv1.2": ssl.TLSVersion.TLSv1_2,
    "TLSv1.3": ssl.TLSVersion.TLSv1_3,
}
LEGACY_VERSIONS = ("TLSv1.0", "TLSv1.1")


def _version_name(openssl_name: str) -> str:
    # OpenSSL says "TLSv1" for 1.0; one spelling everywhere in reports.
    return "TLSv1.0" if openssl_name == "TLSv1" else openssl_name

WEAK_SIGNATURE_HASHES = frozenset({"md5", "sha1"})

# OpenSSL reasons meaning "we could not even offer this version".
_LOCAL_REASONS = frozenset({"NO_PROTOCOLS_AVAILABLE", "NO_CIPHERS_AVAILABLE", "NO_SUITABLE_SIGNATURE_ALGORITHM"})


# ---------------------------------------------------------------------------- the report


@dataclass
class CertificateInfo:
    """The leaf certificate as the server sent it (read even when verification failed)."""

    subject: str = ""  # RFC 4514
    subject_cn: str = ""
    sans: list[str] = field(default_factory=list)  # DNS names and IP addresses
    issuer: str = ""  # RFC 4514
    issuer_cn: str = ""
    not_before: str = ""  # ISO 8601, UTC
    not_after: str = ""
    days_left: Optional[int] = None  # negative once expired
    expired: bool = False
    not_yet_valid: bool = False
    self_signed: bool = False  # issuer name == subject name
    key_type: str = ""  # RSA, EC, Ed25519, Ed448, DSA
    key_size: Optional[int] = None  # bits
    key_curve: str = ""  # EC only
    signature_hash: str = ""  # e.g. sha256; "" when the algorithm has none (Ed25519)
    signature_hash_weak: bool = False  # sha1 or md5
    serial_number: str = ""  # hex
    fingerprint_sha256: str = ""  # hex
    matches_host: Optional[bool] = None  # our own SAN/CN match against the probed host name


@dataclass
class ProtocolSupport:
    version: str  # TLSv1.0 … TLSv1.3
    status: str  # accepted, refused, not_testable, not_tested, error
    detail: str = ""


@dataclass
class TlsReport:
    host: str
    port: int = 443
    address: str = ""  # where we connected, when it differs from host (--resolve)
    reachable: bool = False  # a TCP connection was made
    failure: Optional[str] = None  # dns_resolution_error, connection_refused, … (None = fine)
    error: str = ""  # one line, when failure is set
    verified: bool = False  # chain and host name verified
    verify_error: str = ""  # OpenSSL's words: "certificate has expired", "Hostname mismatch, …"
    verify_reason: str = ""  # expired, not_yet_valid, self_signed, unknown_issuer, hostname_mismatch…
    negotiated_protocol: str = ""  # e.g. TLSv1.3, from the connection that read the certificate
    cipher: str = ""
    certificate: Optional[CertificateInfo] = None
    protocols: list[ProtocolSupport] = field(default_factory=list)
    probed_at: str = ""

    def protocol_status(self, version: str) -> str:
        for item in self.protocols:
            if item.version == version:
                return item.status
        return PROTOCOL_NOT_TESTED

    @property
    def legacy_protocols_accepted(self) -> list[str]:
        return [p.version for p in self.protocols if p.version in LEGACY_VERSIONS and p.status == PROTOCOL_ACCEPTED]


def tls_report_to_dict(report: TlsReport) -> dict[str, Any]:
    """A plain, JSON-ready dict (nested dataclasses become dicts)."""
    return asdict(report)


def tls_report_from_dict(data: dict[str, Any]) -> TlsReport:
    """The inverse of :func:`tls_report_to_dict`, for saved artifacts."""
    data = dict(data)
    cert = data.get("certificate")
    data["certificate"] = CertificateInfo(**cert) if cert else None
    data["protocols"] = [ProtocolSupport(**item) for item in data.get("protocols") or []]
    return TlsReport(**data)


# ---------------------------------------------------------------------------- certificate details


def _first_attribute(name: x509.Name, oid: x509.ObjectIdentifier) -> str:
    try:
        attributes = name.get_attributes_for_oid(oid)
    except Exception:  # noqa: BLE001 - malformed names are hostile input, not our bug
        return ""
    return str(attributes[0].value) if attributes else ""


def _name_text(name: x509.Name) -> str:
    try:
        return name.rfc4514_string()
    except Exception:  # noqa: BLE001
        return ""


def _host_matches(host: str, sans: list[str], subject_cn: str) -> bool:
    """RFC 6125 matching, simplified: exact or single left-most wildcard label; CN only when no SAN."""
    host = host.lower().rstrip(".")
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        ip = None
    names = sans or ([subject_cn] if subject_cn else [])
    for name in names:
        name = name.lower().rstrip(".")
        if ip is not None:
            try:
                if ipaddress.ip_address(name) == ip:
                    return True
            except ValueError:
                pass
            continue
        if name == host:
            return True
        if name.startswith("*.") and "." in host:
            if host.split(".", 1)[1] == name[2:]:
                return True
    return False


def certificate_info(der: bytes, host: str = "", now: Optional[datetime] = None) -> CertificateInfo:
    """Details of a DER certificate; fields that cannot be read stay empty."""
    cert = x509.load_der_x509_certificate(der)
    now = now or datetime.now(timezone.utc)
    info = CertificateInfo()
    info.subject = _name_text(cert.subject)
    info.subject_cn = _first_attribute(cert.subject, NameOID.COMMON_NAME)
    info.issuer = _name_text(cert.issuer)
    info.issuer_cn = _first_attribute(cert.issuer, NameOID.COMMON_NAME)
    try:
        san = cert.extensions.get_extension_for_oid(ExtensionOID.SUBJECT_ALTERNATIVE_NAME).value
        info.sans = [str(v) for v in san.get_values_for_type(x509.DNSName)]
        info.sans += [str(v) for v in san.get_values_for_type(x509.IPAddress)]
    except Exception:  # noqa: BLE001 - missing or malformed extension
        info.sans = []
    not_before = cert.not_valid_before_utc
    not_after = cert.not_valid_after_utc
    info.not_before = not_before.isoformat()
    info.not_after = not_after.isoformat()
    info.days_left = math.floor((not_after - now).total_seconds() / 86400)
    info.expired = now > not_after
    info.not_yet_valid = now < not_before
    info.self_signed = cert.issuer == cert.subject
    try:
        key = cert.public_key()
        if isinstance(key, rsa.RSAPublicKey):
            info.key_type, info.key_size = "RSA", key.key_size
        elif isinstance(key, ec.EllipticCurvePublicKey):
            info.key_type, info.key_size, info.key_curve = "EC", key.curve.key_size, key.curve.name
        elif isinstance(key, ed25519.Ed25519PublicKey):
            info.key_type, info.key_size = "Ed25519", 256
        elif isinstance(key, ed448.Ed448PublicKey):
            info.key_type, info.key_size = "Ed448", 456
        elif isinstance(key, dsa.DSAPublicKey):
            info.key_type, info.key_size = "DSA", key.key_size
        else:
            info.key_type = type(key).__name__
    except Exception:  # noqa: BLE001 - unsupported key algorithms are reported as unknown
        info.key_type = "unknown"
    try:
        algorithm = cert.signature_hash_algorithm
        info.signature_hash = algorithm.name if algorithm is not None else ""
    except Exception:  # noqa: BLE001 - e.g. an algorithm cryptography does not know
        info.signature_hash = ""
    info.signature_hash_weak = info.signature_hash.lower() in WEAK_SIGNATURE_HASHES
    info.serial_number = format(cert.serial_number, "x")
    info.fingerprint_sha256 = cert.fingerprint(hashes.SHA256()).hex()
    if host:
        info.matches_host = _host_matches(host, info.sans, info.subject_cn)
    return info


# ---------------------------------------------------------------------------- connections


class _ConnectFailure(Exception):
    def __init__(self, failure: str, message: str, during_handshake: bool = False) -> None:
        super().__init__(message)
        self.failure = failure
        self.message = message
        self.during_handshake = during_handshake  # TCP worked; the TLS exchange broke


def _one_line(error: BaseException) -> str:
    text = str(error) or type(error).__name__
    return " ".join(text.split())[:300]


def _connect_tcp(target: str, port: int, timeout: float) -> socket.socket:
    try:
        return socket.create_connection((target, port), timeout=timeout)
    except socket.gaierror as error:
        raise _ConnectFailure(FAILURE_DNS, f"cannot resolve {target}: {_one_line(error)}") from error
    except ConnectionRefusedError as error:
        raise _ConnectFailure(FAILURE_REFUSED, f"connection to {target}:{port} refused") from error
    except ConnectionResetError as error:
        raise _ConnectFailure(FAILURE_RESET, f"connection to {target}:{port} reset") from error
    except (socket.timeout, TimeoutError) as error:
        raise _ConnectFailure(FAILURE_TIMEOUT, f"no answer from {target}:{port} within {timeout:g} s") from error
    except OSError as error:
        raise _ConnectFailure(FAILURE_ERROR, f"cannot connect to {target}:{port}: {_one_line(error)}") from error


@dataclass
class _Handshake:
    der: Optional[bytes] = None
    version: str = ""
    cipher: str = ""


def _handshake(context: ssl.SSLContext, host: str, target: str, port: int, timeout: float) -> _Handshake:
    """Connect and shake hands; network trouble becomes _ConnectFailure, TLS trouble ssl.SSLError."""
    raw = _connect_tcp(target, port, timeout)
    server_hostname = host or None
    try:
        with context.wrap_socket(raw, server_hostname=server_hostname) as tls:
            cipher = tls.cipher()
            return _Handshake(
                der=tls.getpeercert(binary_form=True),
                version=_version_name(tls.version() or ""),
                cipher=cipher[0] if cipher else "",
            )
    except ssl.SSLError:
        raise
    except ConnectionResetError as error:
        raise _ConnectFailure(FAILURE_RESET, "connection reset during the TLS handshake", True) from error
    except (socket.timeout, TimeoutError) as error:
        raise _ConnectFailure(FAILURE_TIMEOUT, f"TLS handshake did not finish within {timeout:g} s", True) from error
    except OSError as error:
        raise _ConnectFailure(FAILURE_ERROR, f"TLS handshake failed: {_one_line(error)}", True) from error
    finally:
        raw.close()


def _verifying_context(ca_file: Optional[str]) -> ssl.SSLContext:
    # What a modern client does: the trust store (or the given CA bundle), host name checking,
    # the local OpenSSL's default protocol floor and security level.
    return ssl.create_default_context(cafile=ca_file) if ca_file else ssl.create_default_context()


def _permissive_context(
    minimum: Optional[ssl.TLSVersion] = None, maximum: Optional[ssl.TLSVersion] = None
) -> ssl.SSLContext:
    """No verification and the widest settings the local OpenSSL allows: we only want to look."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    try:
        context.set_ciphers("DEFAULT:@SECLEVEL=0")
    except ssl.SSLError:
        pass
    try:
        context.minimum_version = minimum or ssl.TLSVersion.MINIMUM_SUPPORTED
        if maximum is not None:
            context.maximum_version = maximum
    except (ValueError, ssl.SSLError):
        pass
    return context


def _verify_reason(error: ssl.SSLCertVerificationError) -> str:
    return _VERIFY_CODE_REASONS.get(getattr(error, "verify_code", None), REASON_OTHER)


def _verify_message(error: ssl.SSLError) -> str:
    message = getattr(error, "verify_message", "") or ""
    return " ".join(str(message).split()) or _one_line(error)


@lru_cache(maxsize=None)
def local_protocol_support(version: str) -> tuple[bool, str]:
    """Can the local OpenSSL even send a ClientHello for ``version``? Checked with memory BIOs,
    no network: an error here means "not testable here", not "refused by the server"."""
    tls_version = PROTOCOL_VERSIONS[version]
    try:
        context = _strict_version_context(tls_version)
        incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
        tls = context.wrap_bio(incoming, outgoing, server_hostname="localhost")
        try:
            tls.do_handshake()
        except ssl.SSLWantReadError:
            return True, ""  # a ClientHello was produced; it waits for the server
    except (ssl.SSLError, ValueError) as error:
        return False, f"the local OpenSSL ({ssl.OPENSSL_VERSION}) cannot offer {version}: {_one_line(error)}"
    return True, ""


def _strict_version_context(tls_version: ssl.TLSVersion) -> ssl.SSLContext:
    context = _permissive_context()
    with warnings.catch_warnings():
        # Python deprecates TLS 1.0/1.1; offering them on purpose is the point of this probe.
        warnings.simplefilter("ignore", DeprecationWarning)
        # Order matters: lowering the maximum below the current minimum is refused by some builds.
        context.minimum_version = ssl.TLSVersion.MINIMUM_SUPPORTED
        context.maximum_version = tls_version
        context.minimum_version = tls_version
    return context


def _probe_version(version: str, host: str, target: str, port: int, timeout: float) -> ProtocolSupport:
    supported, why = local_protocol_support(version)
    if not supported:
        return ProtocolSupport(version, PROTOCOL_NOT_TESTABLE, why)
    try:
        context = _strict_version_context(PROTOCOL_VERSIONS[version])
        done = _handshake(context, host, target, port, timeout)
    except ssl.SSLError as error:
        reason = getattr(error, "reason", "") or ""
        if reason in _LOCAL_REASONS:
            return ProtocolSupport(version, PROTOCOL_NOT_TESTABLE, _one_line(error))
        # An alert (protocol_version, handshake_failure…) or a closed connection during a
        # one-version handshake is the server saying no to that version.
        return ProtocolSupport(version, PROTOCOL_REFUSED, _one_line(error))
    except _ConnectFailure as failure:
        if failure.failure == FAILURE_RESET:
            # Many servers just drop a ClientHello they do not like.
            return ProtocolSupport(version, PROTOCOL_REFUSED, failure.message)
        return ProtocolSupport(version, PROTOCOL_ERROR, failure.message)
    if done.version and done.version != version:
        return ProtocolSupport(version, PROTOCOL_REFUSED, f"server negotiated {done.version}")
    return ProtocolSupport(version, PROTOCOL_ACCEPTED, done.cipher)


def _probe_blocking(
    host: str, port: int, address: Optional[str], ca_file: Optional[str], timeout: float, protocols: bool
) -> TlsReport:
    report = TlsReport(host=host, port=port, address=address or "",
                       probed_at=datetime.now(timezone.utc).isoformat())
    target = address or host
    seen: Optional[_Handshake] = None

    # 1. as a modern, verifying client
    try:
        seen = _handshake(_verifying_context(ca_file), host, target, port, timeout)
        report.reachable = True
        report.verified = True
    except _ConnectFailure as failure:
        report.failure, report.error = failure.failure, failure.message
        if not failure.during_handshake:
            # No TCP connection (or not even a name): nothing more to learn.
            report.protocols = [ProtocolSupport(v, PROTOCOL_NOT_TESTED) for v in PROTOCOL_VERSIONS]
            return report
        report.reachable = True
        report.verify_error, report.verify_reason = failure.message, REASON_HANDSHAKE
    except ssl.SSLCertVerificationError as error:
        report.reachable = True
        report.verify_error = _verify_message(error)
        report.verify_reason = _verify_reason(error)
    except ssl.SSLError as error:
        report.reachable = True
        report.verify_error = _one_line(error)
        report.verify_reason = REASON_HANDSHAKE
    except OSError as error:  # e.g. a bad ca_file path
        report.failure, report.error = FAILURE_ERROR, _one_line(error)
        report.protocols = [ProtocolSupport(v, PROTOCOL_NOT_TESTED) for v in PROTOCOL_VERSIONS]
        return report

    # 2. just looking, when the verifying client was refused
    if seen is None:
        try:
            seen = _handshake(_permissive_context(), host, target, port, timeout)
            report.failure, report.error = None, ""
        except _ConnectFailure as failure:
            report.failure, report.error = failure.failure, failure.message
        except ssl.SSLError as error:
            report.failure, report.error = FAILURE_TLS, _one_line(error)

    if seen is not None:
        report.negotiated_protocol = seen.version
        report.cipher = seen.cipher
        if seen.der:
            try:
                report.certificate = certificate_info(seen.der, host)
            except Exception as error:  # noqa: BLE001 - a certificate we cannot parse is a finding, not a crash
                report.error = report.error or f"cannot read the certificate: {_one_line(error)}"

    # 3. one handshake per protocol version
    if protocols:
        report.protocols = [_probe_version(v, host, target, port, timeout) for v in PROTOCOL_VERSIONS]
    return report


async def probe_tls(
    host: str,
    port: int = 443,
    address: Optional[str] = None,
    ca_file: Optional[str] = None,
    timeout: float = 10,
    *,
    protocols: bool = True,
) -> TlsReport:
    """Probe ``host:port`` (connecting to ``address`` when given, with ``host`` for SNI and
    verification). Never raises for network or TLS trouble; see :class:`TlsReport`."""
    try:
        return await asyncio.to_thread(_probe_blocking, host, port, address, ca_file, timeout, protocols)
    except Exception as error:  # noqa: BLE001 - a probe must never break the run
        return TlsReport(host=host, port=port, address=address or "", failure=FAILURE_ERROR,
                         error=f"TLS probe failed: {_one_line(error)}",
                         probed_at=datetime.now(timezone.utc).isoformat())
