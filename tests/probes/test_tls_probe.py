"""The TLS probe against local TLS servers: each certificate problem is told apart, details are
read even when verification fails, protocol versions are probed one by one, and network trouble
is classified rather than raised."""

from __future__ import annotations

import asyncio
import datetime as dt
import socket
import ssl
import threading
import warnings
from pathlib import Path

import pytest
import trustme
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from auditor.probes.tls import (
    FAILURE_REFUSED,
    PROTOCOL_ACCEPTED,
    PROTOCOL_NOT_TESTED,
    PROTOCOL_REFUSED,
    REASON_EXPIRED,
    REASON_HOSTNAME_MISMATCH,
    REASON_SELF_SIGNED,
    TlsReport,
    certificate_info,
    probe_tls,
    tls_report_from_dict,
    tls_report_to_dict,
)

# ----------------------------------------------------------------------------- a tiny TLS server


class TlsServer:
    """Accepts connections on 127.0.0.1, completes (or fails) the TLS handshake, closes."""

    def __init__(self, context: ssl.SSLContext) -> None:
        self.context = context
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except (socket.timeout, OSError):
                continue
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _handle(self, conn: socket.socket) -> None:
        conn.settimeout(5)
        try:
            with self.context.wrap_socket(conn, server_side=True) as tls:
                try:
                    tls.recv(1)  # wait for the client to close
                except (ssl.SSLError, OSError):
                    pass
        except (ssl.SSLError, OSError):
            pass
        finally:
            conn.close()

    def __enter__(self) -> "TlsServer":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(2)
        self.sock.close()


@pytest.fixture(autouse=True)
def _old_tls_versions_on_purpose():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        yield


def server_context(cert_pem: bytes, key_pem: bytes, tmp_path: Path, **versions) -> ssl.SSLContext:
    cert_file, key_file = tmp_path / "server.pem", tmp_path / "server.key"
    cert_file.write_bytes(cert_pem)
    key_file.write_bytes(key_pem)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_file, key_file)
    if "minimum" in versions:
        context.minimum_version = versions["minimum"]
    if "maximum" in versions:
        context.maximum_version = versions["maximum"]
    return context


# ----------------------------------------------------------------------------- certificates


def _name(cn: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def make_cert(
    cn: str,
    *,
    issuer_key=None,
    issuer_name: x509.Name | None = None,
    days_valid: tuple[int, int] = (-1, 90),
    is_ca: bool = False,
    key=None,
    hash_algorithm=None,
):
    """(cert, key): self-signed unless issuer_key/issuer_name are given."""
    key = key or ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.timezone.utc)
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(cn))
        .issuer_name(issuer_name or _name(cn))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now + dt.timedelta(days=days_valid[0]))
        .not_valid_after(now + dt.timedelta(days=days_valid[1]))
        .add_extension(x509.BasicConstraints(ca=is_ca, path_length=None), critical=True)
    )
    if not is_ca:
        builder = builder.add_extension(
            x509.SubjectAlternativeName([x509.DNSName(cn)]), critical=False)
    cert = builder.sign(issuer_key or key, hash_algorithm or hashes.SHA256())
    return cert, key


def pem(cert, key) -> tuple[bytes, bytes]:
    return (
        cert.public_bytes(serialization.Encoding.PEM),
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                          serialization.NoEncryption()),
    )


def probe(**kwargs) -> TlsReport:
    return asyncio.run(probe_tls(**kwargs))


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture
def ca_file(ca, tmp_path) -> str:
    path = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(path))
    return str(path)


def trustme_server(ca: trustme.CA, tmp_path: Path, **versions) -> TlsServer:
    leaf = ca.issue_cert("www.gemeente.test")
    return TlsServer(server_context(leaf.cert_chain_pems[0].bytes(), leaf.private_key_pem.bytes(),
                                    tmp_path, **versions))


# ----------------------------------------------------------------------------- certificate cases


def test_good_certificate_verifies_and_details_are_read(ca, ca_file, tmp_path):
    with trustme_server(ca, tmp_path) as server:
        report = probe(host="www.gemeente.test", port=server.port, address="127.0.0.1", ca_file=ca_file)
    assert report.failure is None and report.reachable
    assert report.verified, report.verify_error
    assert report.verify_error == ""
    cert = report.certificate
    assert cert is not None
    assert "www.gemeente.test" in cert.sans
    assert cert.days_left > 0 and not cert.expired
    assert cert.key_type in {"RSA", "EC"} and cert.key_size and cert.key_size >= 256
    assert cert.signature_hash == "sha256" and not cert.signature_hash_weak
    assert not cert.self_signed
    assert cert.matches_host is True
    assert report.negotiated_protocol in {"TLSv1.2", "TLSv1.3"}
    assert report.protocol_status("TLSv1.2") == PROTOCOL_ACCEPTED
    assert report.protocol_status("TLSv1.3") == PROTOCOL_ACCEPTED
    # the plain-dict form round-trips
    data = tls_report_to_dict(report)
    assert data["certificate"]["subject_cn"] == cert.subject_cn
    assert tls_report_from_dict(data) == report


def test_unknown_ca_without_ca_file_is_not_verified(ca, tmp_path):
    with trustme_server(ca, tmp_path) as server:
        report = probe(host="www.gemeente.test", port=server.port, address="127.0.0.1")
    assert not report.verified
    assert report.verify_reason == "unknown_issuer"
    assert report.certificate is not None  # still read


def test_wrong_host_name_fails_with_a_hostname_reason(ca, ca_file, tmp_path):
    with trustme_server(ca, tmp_path) as server:
        report = probe(host="andere.gemeente.test", port=server.port, address="127.0.0.1",
                       ca_file=ca_file, protocols=False)
    assert not report.verified
    assert report.verify_reason == REASON_HOSTNAME_MISMATCH
    assert "hostname mismatch" in report.verify_error.lower()
    assert report.failure is None
    assert report.certificate is not None
    assert report.certificate.sans == ["www.gemeente.test"]
    assert report.certificate.matches_host is False


def test_self_signed_certificate(tmp_path):
    cert, key = make_cert("www.gemeente.test")
    with TlsServer(server_context(*pem(cert, key), tmp_path)) as server:
        report = probe(host="www.gemeente.test", port=server.port, address="127.0.0.1", protocols=False)
    assert not report.verified
    assert report.verify_reason == REASON_SELF_SIGNED
    assert "self-signed" in report.verify_error or "self signed" in report.verify_error
    assert report.certificate.self_signed is True


def test_expired_certificate_from_a_trusted_ca(tmp_path):
    ca_cert, ca_key = make_cert("Test Root CA", is_ca=True, days_valid=(-400, 400))
    leaf, leaf_key = make_cert("www.gemeente.test", issuer_key=ca_key, issuer_name=ca_cert.subject,
                               days_valid=(-100, -2))
    ca_path = tmp_path / "root.pem"
    ca_path.write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))
    with TlsServer(server_context(*pem(leaf, leaf_key), tmp_path)) as server:
        report = probe(host="www.gemeente.test", port=server.port, address="127.0.0.1",
                       ca_file=str(ca_path), protocols=False)
    assert not report.verified
    assert report.verify_reason == REASON_EXPIRED
    assert "expired" in report.verify_error
    assert report.certificate.expired
    assert report.certificate.days_left < 0
    assert report.certificate.self_signed is False


# cryptography refuses to sign with SHA-1, so this one was made once with
# `openssl req -x509 -newkey rsa:2048 -sha1 -subj /CN=old.gemeente.test -days 36500`.
SHA1_CERT_PEM = b"""\
-----BEGIN CERTIFICATE-----
MIIDGzCCAgOgAwIBAgIUW/LckhFJdf8r+4HuhXlug22ELU8wDQYJKoZIhvcNAQEF
BQAwHDEaMBgGA1UEAwwRb2xkLmdlbWVlbnRlLnRlc3QwIBcNMjYxMTI4MjIwNTQz
WhgPMjEyNjExMDQyMjA1NDNaMBwxGjAYBgNVBAMMEW9sZC5nZW1lZW50ZS50ZXN0
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA0EU84Sf0SoK7YDXp9kZx
mHOZ+2d+y2ax/ellWQBIuKsAK6agdhqPuCA+x/lUYKY3hRrS5T2U+kejSxlkSz6m
rd09/OcyEx8/e2slY9oYewPUabj+PVAHNQCIZfJvWfrcy8VNLa3Pn8K0axSXgSvX
VooK8uJC2xrU9EIEbCdmZQGk/bvs7Fbc5FbMY4o/XYeMBnyyinU8QlT9vR3C1nLe
vhc0iUOgcy3bZaSg2FfY8cpLCBLz8GYYbnqQlTLXpLJzuumbyfUHIs9aXx0nigWd
dh47+5Sgl+wbXcDj9jL8VsirR5x3kn8joXYgyDtj9HFBz8XWHhzRZxQWSip7f9IB
WwIDAQABo1MwUTAdBgNVHQ4EFgQU5eusM0dXKBB5sRLDWLTftKoOi6gwHwYDVR0j
BBgwFoAU5eusM0dXKBB5sRLDWLTftKoOi6gwDwYDVR0TAQH/BAUwAwEB/zANBgkq
hkiG9w0BAQUFAAOCAQEAcbhs+zf++cuVvDiGlBA0FfUpE15jjv3sPWOnzCmvOVsC
6oOHyHNLtoDEKLcMq9AE+F1yWMK6N8PwnKVvf2PhZtHQAO+nsXdSTAsTkf41PDdB
GpM6o8j2+u18BUVOJ7fRzMFQeTT9s+iMD0muGmNz2Q5ylWm2IzzIy0zCazDc4ymN
I1MslZMoQiHjEP6zHTMG4AhUtnqmTTN3A4U3n93VTSZWaLrxuvHZLUSoiimkb1SV
WxfEmOnYoPk3h1i2fOik1LfTUBALEXN1eH+bEEYE9+FDmQTRBlDXk+lbbeF1oLWU
6WXPmz+3JjRjDC+8txSyP3fcjBsrpmnQMtRJxXMNWQ==
-----END CERTIFICATE-----
"""


def test_sha1_signature_and_rsa_key_are_reported():
    cert = x509.load_pem_x509_certificate(SHA1_CERT_PEM)
    info = certificate_info(cert.public_bytes(serialization.Encoding.DER), "old.gemeente.test")
    assert (info.key_type, info.key_size) == ("RSA", 2048)
    assert info.signature_hash == "sha1" and info.signature_hash_weak


# ----------------------------------------------------------------------------- network trouble


def test_connection_refused_is_classified_not_raised():
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()  # nothing listens there any more
    report = probe(host="www.gemeente.test", port=port, address="127.0.0.1", timeout=3)
    assert report.failure == FAILURE_REFUSED
    assert not report.reachable and report.certificate is None
    assert all(p.status == PROTOCOL_NOT_TESTED for p in report.protocols)


def test_unresolvable_name_is_a_dns_failure():
    report = probe(host="does-not-exist.invalid", port=443, timeout=3)
    assert report.failure == "dns_resolution_error"


def test_plain_tcp_server_that_never_speaks_tls_times_out(tmp_path):
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(4)
    try:
        report = probe(host="x.test", port=sock.getsockname()[1], address="127.0.0.1",
                       timeout=0.5, protocols=False)
    finally:
        sock.close()
    assert report.reachable
    assert report.failure == "timeout"


# ----------------------------------------------------------------------------- protocol versions


def test_tls13_only_server_refuses_tls12(ca, ca_file, tmp_path):
    with trustme_server(ca, tmp_path, minimum=ssl.TLSVersion.TLSv1_3) as server:
        report = probe(host="www.gemeente.test", port=server.port, address="127.0.0.1", ca_file=ca_file)
    assert report.verified
    assert report.protocol_status("TLSv1.3") == PROTOCOL_ACCEPTED
    assert report.protocol_status("TLSv1.2") == PROTOCOL_REFUSED
    assert report.protocol_status("TLSv1.0") in {PROTOCOL_REFUSED, "not_testable"}
    assert report.legacy_protocols_accepted == []


def test_server_still_offering_tls10_is_seen(ca, ca_file, tmp_path):
    context = server_context(*_trustme_pems(ca), tmp_path,
                             minimum=ssl.TLSVersion.TLSv1, maximum=ssl.TLSVersion.TLSv1)
    try:
        context.set_ciphers("DEFAULT:@SECLEVEL=0")
    except ssl.SSLError:
        pytest.skip("local OpenSSL cannot serve TLS 1.0")
    with TlsServer(context) as server:
        report = probe(host="www.gemeente.test", port=server.port, address="127.0.0.1", ca_file=ca_file)
    status = report.protocol_status("TLSv1.0")
    if status == "not_testable":
        pytest.skip("local OpenSSL cannot offer TLS 1.0")
    assert status == PROTOCOL_ACCEPTED
    assert report.legacy_protocols_accepted == ["TLSv1.0"]
    assert report.protocol_status("TLSv1.2") == PROTOCOL_REFUSED
    # a modern verifying client cannot connect, but the certificate is still read
    assert not report.verified and report.certificate is not None
    assert report.negotiated_protocol == "TLSv1.0"


def _trustme_pems(ca: trustme.CA) -> tuple[bytes, bytes]:
    leaf = ca.issue_cert("www.gemeente.test")
    return leaf.cert_chain_pems[0].bytes(), leaf.private_key_pem.bytes()
