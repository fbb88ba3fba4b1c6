"""PDFs built in the test suite with pypdf: tagged or not, with or without title, language and
a text layer, so the document checks are tested on real files and not on hand-made artifacts."""

from __future__ import annotations

import io

from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    BooleanObject,
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
    NumberObject,
    TextStringObject,
)


def make_pdf(*, tagged: bool = False, title: str = "", lang: str = "", text: str = "") -> bytes:
    writer = PdfWriter()
    page = writer.add_blank_page(width=595, height=842)
    if text:
        font = DictionaryObject({
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
        })
        page[NameObject("/Resources")] = DictionaryObject({
            NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)}),
        })
        safe = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        stream = DecodedStreamObject()
        stream.set_data(f"BT /F1 12 Tf 72 770 Td ({safe}) Tj ET".encode("latin-1"))
        page[NameObject("/Contents")] = writer._add_object(stream)
    root = writer._root_object
    if tagged:
        root[NameObject("/MarkInfo")] = DictionaryObject({NameObject("/Marked"): BooleanObject(True)})
        struct_root = DictionaryObject({
            NameObject("/Type"): NameObject("/StructTreeRoot"),
            NameObject("/K"): ArrayObject(),
            NameObject("/ParentTreeNextKey"): NumberObject(0),
        })
        root[NameObject("/StructTreeRoot")] = writer._add_object(struct_root)
    if lang:
        root[NameObject("/Lang")] = TextStringObject(lang)
    if title:
        writer.add_metadata({"/Title": title})
        root[NameObject("/ViewerPreferences")] = DictionaryObject(
            {NameObject("/DisplayDocTitle"): BooleanObject(True)})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


ACCESSIBLE_PDF_ARGS = dict(tagged=True, title="Jaarverslag 2025", lang="nl-BE",
                           text="Jaarverslag van de gemeente Testdorp over het jaar 2025.")
