"""Text page by page from real PDF, DOCX and ODT files (written by documents.render)."""

from __future__ import annotations

import pytest

from documents import render
from documents.extract import ExtractionError, extract_pages
from documents.rules.sniff import FileKind

PAGES = [["1 Parter", "Regionen och kommunerna i länet."], ["2 Uppsägning", "Sex månaders uppsägningstid."]]


@pytest.mark.parametrize(
    ("kind", "write"), [(FileKind.PDF, render.pdf), (FileKind.DOCX, render.docx), (FileKind.ODT, render.odt)]
)
def test_each_page_keeps_its_number_and_its_paragraphs(kind, write):
    pages = extract_pages(kind, write(PAGES))
    assert [(p.number, p.text, p.scanned) for p in pages] == [
        (1, "1 Parter\n\nRegionen och kommunerna i länet.", False),
        (2, "2 Uppsägning\n\nSex månaders uppsägningstid.", False),
    ]


def test_a_pdf_page_without_a_text_layer_is_marked_scanned():
    assert [(p.number, p.scanned) for p in extract_pages(FileKind.PDF, render.scanned_pdf(2))] == [
        (1, True),
        (2, True),
    ]


def test_an_unreadable_file_raises_with_a_swedish_reason():
    with pytest.raises(ExtractionError, match=r"^PDF-filen"):
        extract_pages(FileKind.PDF, b"%PDF-1.4\nbroken")
    with pytest.raises(ExtractionError, match=r"^ODT-dokumentet går inte att läsa"):
        extract_pages(FileKind.ODT, render.docx(PAGES))
