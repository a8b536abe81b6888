"""A file's kind comes from its bytes; a name or declared type that says otherwise is refused."""

from __future__ import annotations

import io
import zipfile

import pytest

from core.errors import InvalidInput
from documents.rules.sniff import FileKind, content_kind, sniff

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        for name, data in entries.items():
            package.writestr(name, data)
    return buffer.getvalue()


DOCX = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
ODT = _zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<office/>"})
ODS = _zip({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b"<office/>"})
XLSX = _zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})


def test_each_kind_is_told_by_its_content():
    assert content_kind(PDF) is FileKind.PDF
    assert content_kind(DOCX) is FileKind.DOCX
    assert content_kind(ODT) is FileKind.ODT


def test_other_zip_packages_and_plain_bytes_are_none_of_them():
    assert content_kind(ODS) is None
    assert content_kind(XLSX) is None
    assert content_kind(b"PK\x03\x04 not really a zip") is None
    assert content_kind(b"<html>%PDF-</html>") is None


def test_a_pdf_named_and_declared_as_one_is_accepted():
    found = sniff(PDF, "Avtal.PDF", "application/pdf")
    assert (found.kind, found.media_type) == (FileKind.PDF, "application/pdf")


def test_a_docx_whose_name_says_pdf_is_refused_with_what_it_really_is():
    with pytest.raises(InvalidInput) as refused:
        sniff(DOCX, "avtal.pdf", "application/pdf")
    assert refused.value.message == (
        "Filen 'avtal.pdf' heter som en PDF men är ett Word-dokument (DOCX). "
        "Kontrollera att du valt rätt fil, eller ge den rätt filändelse."
    )


def test_a_right_name_with_a_wrong_declared_type_is_refused():
    with pytest.raises(InvalidInput, match="skickades som 'application/pdf' men är ett ODT-dokument"):
        sniff(ODT, "bilaga.odt", "application/pdf")


def test_an_unspecific_declared_type_is_not_held_against_the_file():
    assert sniff(DOCX, "bilaga.docx", "application/octet-stream").kind is FileKind.DOCX
    assert sniff(ODT, "bilaga.odt", None).kind is FileKind.ODT


def test_a_file_that_is_none_of_the_kinds_is_refused():
    with pytest.raises(InvalidInput, match="varken en PDF"):
        sniff(XLSX, "tabell.docx")


def test_a_name_without_a_known_extension_is_refused():
    with pytest.raises(InvalidInput, match=r"ska sluta på \.pdf, \.docx eller \.odt \(filen är en PDF\)"):
        sniff(PDF, "avtal")


def test_an_empty_file_is_refused():
    with pytest.raises(InvalidInput, match="Filen är tom"):
        sniff(b"", "avtal.pdf")
