"""Documents: download a bounded sample of the PDFs linked from crawled pages and read what
their structure says about accessibility (fills ``SiteArtifacts.documents``; judged by
checks/documents.py).

Bounds: at most ``max_documents`` PDFs, each cut off at ``max_bytes`` (a larger file is recorded
as too large, not analysed); downloads are streamed into memory, parsed with pypdf (pure Python,
never rendered or run) and dropped. What is read, after PDF/UA and the WCAG PDF techniques:

* tagged: the catalog's ``/MarkInfo /Marked true`` and a ``/StructTreeRoot`` (PDF1, PDF/UA 7.1);
* title: ``dc:title`` in the XMP metadata or ``/Title`` in the document information (PDF18);
* language: the catalog's ``/Lang`` (PDF16);
* text layer: text extracted from the first pages; none means a scanned image (PDF7).

Other office formats are listed as resources but not analysed.
"""

from __future__ import annotations

import asyncio
import io
import logging
from typing import Iterable, Optional
from urllib.parse import urlsplit

from auditor.crawl.http import fetch
from auditor.model import DocumentInfo, ResourceRecord

MAX_DOCUMENTS = 10
MAX_BYTES = 15_000_000
TEXT_PAGES_SAMPLED = 5
MIN_TEXT_CHARS = 20

logging.getLogger("pypdf").setLevel(logging.ERROR)  # broken PDFs are reported, not logged


def is_pdf(resource: ResourceRecord) -> bool:
    media = (resource.content_type or "").split(";", 1)[0].strip().lower()
    if media == "application/pdf":
        return True
    try:
        path = urlsplit(resource.url).path.lower()
    except ValueError:
        return False
    return path.endswith(".pdf") and media in ("", "application/octet-stream", "binary/octet-stream")


def pick_documents(resources: Iterable[ResourceRecord], limit: int = MAX_DOCUMENTS) -> list[ResourceRecord]:
    """The PDFs to sample: distinct URLs that did not answer with an error, in crawl order."""
    chosen: list[ResourceRecord] = []
    seen: set[str] = set()
    for resource in resources:
        if len(chosen) >= limit:
            break
        if resource.url in seen or not is_pdf(resource):
            continue
        if resource.http_status is not None and resource.http_status >= 400:
            continue
        seen.add(resource.url)
        chosen.append(resource)
    return chosen


def analyse_pdf(data: bytes, info: Optional[DocumentInfo] = None) -> DocumentInfo:
    """Read the accessibility-relevant structure of a PDF held in memory."""
    info = info or DocumentInfo(url="")
    info.size = len(data)
    if not data.lstrip()[:5].startswith(b"%PDF"):
        info.error = "not a PDF file (no %PDF header)"
        return info
    try:
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            info.encrypted = True
            try:
                reader.decrypt("")
            except Exception:  # noqa: BLE001 - a password we do not have
                info.error = "encrypted PDF: its structure cannot be read without a password"
                return info
        root = reader.trailer["/Root"].get_object()
        mark_info = root.get("/MarkInfo")
        mark_info = mark_info.get_object() if mark_info is not None else None
        info.marked = bool(mark_info is not None and mark_info.get("/Marked") in (True, "true"))
        info.has_struct_tree = "/StructTreeRoot" in root
        info.tagged = bool(info.marked and info.has_struct_tree)
        lang = root.get("/Lang")
        info.lang = str(lang.get_object()).strip()[:35] if lang is not None else ""
        preferences = root.get("/ViewerPreferences")
        if preferences is not None:
            preferences = preferences.get_object()
            info.display_doc_title = bool(preferences.get("/DisplayDocTitle", False))
        info.title = _document_title(reader)
        info.pages = len(reader.pages)
        chars = 0
        for page in list(reader.pages)[:TEXT_PAGES_SAMPLED]:
            try:
                chars += len("".join((page.extract_text() or "").split()))
            except Exception:  # noqa: BLE001 - one unreadable page does not end the analysis
                continue
            if chars >= MIN_TEXT_CHARS:
                break
        info.text_chars = chars
        info.has_text = chars >= MIN_TEXT_CHARS
    except Exception as exc:  # noqa: BLE001 - a broken or hostile file is a finding, not a crash
        info.error = f"the PDF could not be read: {type(exc).__name__}: {str(exc)[:200]}"
    return info


def _document_title(reader) -> str:
    try:
        xmp = reader.xmp_metadata
        titles = xmp.dc_title if xmp is not None else None
        if titles:
            value = next(iter(titles.values())) if isinstance(titles, dict) else str(titles)
            if value and str(value).strip():
                return str(value).strip()[:300]
    except Exception:  # noqa: BLE001 - bad XMP: fall back to the information dictionary
        pass
    try:
        metadata = reader.metadata
        title = metadata.title if metadata is not None else None
        return str(title).strip()[:300] if title else ""
    except Exception:  # noqa: BLE001
        return ""


async def download_and_analyse(client, resource: ResourceRecord, max_bytes: int = MAX_BYTES) -> DocumentInfo:
    info = DocumentInfo(url=resource.url, linked_from=resource.linked_from, content_type=resource.content_type)
    too_large = f"larger than the download cap of {max_bytes / 1_000_000:g} MB: not analysed"
    if resource.size is not None and resource.size > max_bytes:
        info.size = resource.size
        info.error = too_large
        return info
    result = await fetch(client, resource.url, retries=0, max_bytes=max_bytes)
    response = result.response
    if response is None:
        info.error = f"download failed: {result.error}"
        return info
    info.content_type = response.headers.get("content-type", info.content_type)
    if response.status_code >= 400:
        info.error = f"HTTP {response.status_code}"
        return info
    if result.truncated:
        info.size = result.bytes_read
        info.error = too_large
        return info
    return await asyncio.to_thread(analyse_pdf, response.content, info)


async def sample_documents(
    client, resources: Iterable[ResourceRecord], *, max_documents: int = MAX_DOCUMENTS,
    max_bytes: int = MAX_BYTES, before_each=None,
) -> list[DocumentInfo]:
    """Download and analyse up to ``max_documents`` linked PDFs, one at a time (politeness:
    ``before_each(url)`` is awaited before each download)."""
    documents = []
    for resource in pick_documents(resources, max_documents):
        if before_each is not None:
            await before_each(resource.url)
        documents.append(await download_and_analyse(client, resource, max_bytes))
    return documents


async def probe_resource(client, url: str, linked_from: str) -> ResourceRecord:
    """A linked document (PDF, office file…) recorded with a HEAD request, never downloaded
    whole, rendered or run: its status, content type and announced size."""
    record = ResourceRecord(url=url, linked_from=linked_from)
    outcome = await fetch(client, url, method="HEAD", retries=1)
    if outcome.response is not None:
        response = outcome.response
        if response.status_code == 405:  # HEAD not allowed: read only the headers of a GET
            async with client.stream("GET", url) as streamed:
                response = streamed
        record.http_status = response.status_code
        record.content_type = response.headers.get("content-type", "")
        length = response.headers.get("content-length", "")
        record.size = int(length) if length.isdigit() else None
    return record
