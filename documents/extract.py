"""A file's text, page by page: pypdf for PDF (BSD), python-docx for DOCX (MIT), the standard
library's zipfile and XML parser for ODT. No I/O beyond the bytes given.

- PDF: each page's text layer. A page with no text (fewer than `SCANNED_BELOW` letters) is a
  scanned image: marked so, since only OCR could read it, which we do not do.
- DOCX and ODT have no fixed pages (the word processor lays them out); the text is split where
  the file itself marks a page: DOCX's explicit page breaks (`w:br w:type="page"`, and
  `w:lastRenderedPageBreak`, which Word writes where it last broke a page), ODT's
  `text:soft-page-break` (written by LibreOffice) and paragraphs whose style breaks before.
  A file without such marks is one page.
Paragraphs are separated by a blank line, so the comparison of versions (documents.rules.diff)
sees them.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from xml.etree import ElementTree

from documents.rules.sniff import FileKind

HEADING_LENGTH = 50  # characters: a line this short that ends no sentence is a heading
SCANNED_BELOW = 20  # letters: a page number or a stamp alone is not a text layer


class ExtractionError(Exception):
    """The file could not be read; the message (Swedish) says why."""


@dataclass(frozen=True, slots=True)
class PageText:
    number: int
    text: str
    scanned: bool


def _letters(text: str) -> int:
    return sum(ch.isalpha() for ch in text)


def _pdf_paragraphs(text: str) -> str:
    """pypdf gives lines; after a line ending a sentence, or a short one ending none (a heading),
    a line starting with a capital or a digit starts a new paragraph. A heuristic, good enough for
    comparing versions."""
    lines = [line.rstrip() for line in text.splitlines()]
    out: list[str] = []
    for line in lines:
        if not line.strip():
            if out and out[-1] != "":
                out.append("")
            continue
        starts = re.match(r"\s*[A-ZÅÄÖ0-9•]", line)
        previous = out[-1] if out else ""
        # after a sentence's end, or after a short line that ends none (a heading)
        ends = re.search(r"[.:;!?]$", previous) or (
            len(previous) < HEADING_LENGTH and not previous.endswith((",", "-"))
        )
        if previous and starts and ends:
            out.append("")
        out.append(line)
    return "\n".join(out).strip()


def _pdf(content: bytes) -> list[PageText]:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(content))
        if reader.is_encrypted:
            raise ExtractionError("PDF-filen är krypterad eller lösenordsskyddad; texten går inte att läsa.")
        pages = []
        for number, page in enumerate(reader.pages, start=1):
            text = _pdf_paragraphs(page.extract_text() or "")
            pages.append(PageText(number, text, _letters(text) < SCANNED_BELOW))
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ExtractionError(f"PDF-filen går inte att läsa ({type(exc).__name__}: {exc}).") from exc
    if not pages:
        raise ExtractionError("PDF-filen har inga sidor.")
    return pages


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _split_pages(paragraphs: list[tuple[bool, str]]) -> list[PageText]:
    """(starts a new page, text) per paragraph -> pages."""
    pages: list[list[str]] = [[]]
    for new_page, text in paragraphs:
        if new_page and any(p.strip() for p in pages[-1]):
            pages.append([])
        if text.strip():
            pages[-1].append(text.strip())
    return [PageText(n, "\n\n".join(texts), False) for n, texts in enumerate(pages, start=1)]


def _docx(content: bytes) -> list[PageText]:
    from docx import Document
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = Document(io.BytesIO(content))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile, ElementTree.ParseError) as exc:
        raise ExtractionError(f"Word-dokumentet går inte att läsa ({type(exc).__name__}).") from exc
    paragraphs: list[tuple[bool, str]] = []
    body = document.element.body
    for block in body.iterchildren():
        if block.tag == f"{W}p":
            texts = block.iter(f"{W}t")
            breaks = [b for b in block.iter(f"{W}br") if b.get(f"{W}type") == "page"] + list(
                block.iter(f"{W}lastRenderedPageBreak")
            )
            paragraphs.append((bool(breaks), "".join(t.text or "" for t in texts)))
        elif block.tag == f"{W}tbl":
            for row in block.iter(f"{W}tr"):
                cells = ["".join(t.text or "" for t in cell.iter(f"{W}t")) for cell in row.iter(f"{W}tc")]
                paragraphs.append((False, " | ".join(c for c in cells if c)))
    return _split_pages(paragraphs)


ODF_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
ODF_STYLE = "{urn:oasis:names:tc:opendocument:xmlns:style:1.0}"
ODF_FO = "{urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0}"


def _odf_text(element: ElementTree.Element) -> str:
    parts = [element.text or ""]
    for child in element:
        if child.tag == f"{ODF_TEXT}s":
            parts.append(" " * int(child.get(f"{ODF_TEXT}c", "1")))
        elif child.tag in (f"{ODF_TEXT}tab", f"{ODF_TEXT}line-break"):
            parts.append(" ")
        elif child.tag != f"{ODF_TEXT}soft-page-break":
            parts.append(_odf_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _odt(content: bytes) -> list[PageText]:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as package:
            root = ElementTree.fromstring(package.read("content.xml"))
    except (KeyError, zipfile.BadZipFile, ElementTree.ParseError) as exc:
        raise ExtractionError(f"ODT-dokumentet går inte att läsa ({type(exc).__name__}).") from exc
    breaking = {
        style.get(f"{ODF_STYLE}name")
        for style in root.iter(f"{ODF_STYLE}style")
        for props in style.iter(f"{ODF_STYLE}paragraph-properties")
        if props.get(f"{ODF_FO}break-before") == "page"
    }
    paragraphs: list[tuple[bool, str]] = []
    pending_break = False
    for element in root.iter():
        if element.tag == f"{ODF_TEXT}soft-page-break":
            pending_break = True
        elif element.tag in (f"{ODF_TEXT}p", f"{ODF_TEXT}h"):
            starts = pending_break or element.get(f"{ODF_TEXT}style-name") in breaking
            soft = element.find(f"{ODF_TEXT}soft-page-break") is not None
            paragraphs.append((starts or soft, _odf_text(element)))
            pending_break = False
    return _split_pages(paragraphs)


def extract_pages(kind: FileKind, content: bytes) -> list[PageText]:
    """The file's pages with their text. Raises ExtractionError with the reason."""
    if kind is FileKind.PDF:
        return _pdf(content)
    if kind is FileKind.DOCX:
        return _docx(content)
    return _odt(content)
