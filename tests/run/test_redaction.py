"""No credentials in logs, progress output, artifacts or reports (HTML, CSV, XLSX, JSON)."""

from __future__ import annotations

import zipfile
from pathlib import Path
from types import SimpleNamespace

import pytest
from click.testing import CliRunner

from auditor.cli.main import main
from auditor.cli.progress import _line
from auditor.run.redact import redact_text
from tests.fixtures.localserver import LocalSite

SECRETS = ("S3CRETPASS", "S3CRETTOKEN", "S3CRETSIG", "S3CRETKEY", "S3CRETSESSION", "S3CRETAMZ")


@pytest.mark.parametrize("raw, expected", [
    ("https://user:S3CRETPASS@www.x.be/a", "https://www.x.be/a"),
    ("see ftp://bob@files.x.be/ now", "see ftp://files.x.be/ now"),
    ("https://x.be/?token=S3CRETTOKEN&page=2", "https://x.be/?token=REDACTED&page=2"),
    ("https://x.be/f.pdf?X-Amz-Signature=S3CRETAMZ&X-Amz-Date=1", "https://x.be/f.pdf?X-Amz-Signature=REDACTED&X-Amz-Date=1"),
    ("/a?access_token=S3CRETTOKEN", "/a?access_token=REDACTED"),
    ("/a?b=1&apikey=S3CRETKEY#top", "/a?b=1&apikey=REDACTED#top"),
    ('{"url": "https://x.be/?sessionid=S3CRETSESSION"}', '{"url": "https://x.be/?sessionid=REDACTED"}'),
    ("/a;jsessionid=S3CRETSESSION?q=1", "/a;jsessionid=REDACTED?q=1"),
    # ordinary parameters and e-mail addresses stay as they are
    ("/zoeken?design=blauw&postcode=9000&q=key", "/zoeken?design=blauw&postcode=9000&q=key"),
    ("mail info@gemeente.be or https://x.be/a@b", "mail info@gemeente.be or https://x.be/a@b"),
])
def test_redact_text(raw, expected):
    assert redact_text(raw) == expected


def test_progress_line_never_shows_a_secret():
    progress = SimpleNamespace(phase="crawling", discovered=3, visited=1, remaining=2, errors=0,
                               current="https://u:S3CRETPASS@x.be/?token=S3CRETTOKEN")
    text = _line(progress).plain
    assert "S3CRET" not in text and "x.be" in text


def _all_output_text(out: Path) -> str:
    texts = []
    for path in out.rglob("*"):
        if not path.is_file():
            continue
        if path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as archive:
                texts += [archive.read(name).decode("utf-8", "replace") for name in archive.namelist()]
        else:
            texts.append(path.read_bytes().decode("utf-8", "replace"))
    return "\n".join(texts)


@pytest.mark.browser
def test_audit_outputs_carry_no_secret_from_urls(tmp_path):
    site = LocalSite()
    site.add("/", body=(
        "<html lang='nl'><head><title>Start</title></head><body><main><h1>Start</h1>"
        "<a href='/inloggen?token=S3CRETTOKEN'>inloggen</a>"
        "<a href='/weg?apikey=S3CRETKEY'>kapotte link</a>"
        "<a href='/doc.pdf?sig=S3CRETSIG'>document</a>"
        "<a href='/door'>verder</a>"
        "<img src='/beeld.png?X-Amz-Signature=S3CRETAMZ' alt='beeld'>"
        "</main></body></html>"))
    site.add("/inloggen", body="<html lang='nl'><title>In</title><main>in</main></html>")
    site.redirect("/door", "/einde?session=S3CRETSESSION")
    site.add("/einde", body="<html lang='nl'><title>Einde</title><main>einde</main></html>")
    site.add("/doc.pdf", body=b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    out = tmp_path / "out"
    with site:
        start = site.url("/").replace("http://", "http://operator:S3CRETPASS@") + "?session=S3CRETSESSION"
        result = CliRunner().invoke(main, ["audit", start, "--out", str(out), "--max-pages", "10",
                                           "--delay", "0"], catch_exceptions=False)
        assert any("token=S3CRETTOKEN" in path for _, path in site.hits)  # the crawl used the real URL
    assert result.exit_code == 0, result.output
    text = _all_output_text(out) + result.output
    assert "token=REDACTED" in text and "apikey=REDACTED" in text
    for secret in SECRETS:
        assert secret not in text, secret
