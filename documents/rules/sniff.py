"""What a file is, by its content: PDF, DOCX or ODT, or refused.

A name or a declared type can lie (a Word file renamed "avtal.pdf"); the bytes cannot. PDF files
start with `%PDF-` (ISO 32000-1, 7.5.2). DOCX and ODT are ZIP packages: DOCX has
`[Content_Types].xml` and `word/document.xml` (ECMA-376 part 2), ODT a first entry `mimetype`
holding `application/vnd.oasis.opendocument.text` (OpenDocument 1.2 part 3, 3.3). The name's
extension and the declared media type, when given, must say the same as the content.
"""

from __future__ import annotations

import enum
import io
import zipfile
from dataclasses import dataclass

from core.errors import InvalidInput


class FileKind(enum.StrEnum):
    PDF = "pdf"
    DOCX = "docx"
    ODT = "odt"


MEDIA_TYPES = {
    FileKind.PDF: "application/pdf",
    FileKind.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    FileKind.ODT: "application/vnd.oasis.opendocument.text",
}
NAMES_SV = {
    FileKind.PDF: "en PDF",
    FileKind.DOCX: "ett Word-dokument (DOCX)",
    FileKind.ODT: "ett ODT-dokument",
}
EXTENSIONS = {".pdf": FileKind.PDF, ".docx": FileKind.DOCX, ".odt": FileKind.ODT}
# What browsers and clients send when they do not know: says nothing, so it is not held against a file.
UNSPECIFIC_TYPES = {"", "application/octet-stream", "binary/octet-stream", "application/zip"}
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"


@dataclass(frozen=True, slots=True)
class Sniffed:
    kind: FileKind
    media_type: str


def content_kind(content: bytes) -> FileKind | None:
    """The kind the bytes themselves show, or None when they are none of the three."""
    if content.startswith(b"%PDF-"):
        return FileKind.PDF
    if not content.startswith(b"PK\x03\x04"):
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as package:
            names = set(package.namelist())
            if "[Content_Types].xml" in names and "word/document.xml" in names:
                return FileKind.DOCX
            if "mimetype" in names and package.read("mimetype").strip() == ODT_MIMETYPE:
                return FileKind.ODT
    except (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, ValueError, EOFError):
        return None
    return None


def _extension(filename: str) -> str:
    dot = filename.rfind(".")
    return filename[dot:].lower() if dot >= 0 else ""


def sniff(content: bytes, filename: str, declared_type: str | None = None) -> Sniffed:
    """The file's kind by its content, checked against its name and declared media type.

    Raises InvalidInput (in Swedish, naming what the file really is) when the content is none of
    PDF, DOCX and ODT, or when the name or the declared type says something else."""
    if not content:
        raise InvalidInput("Filen är tom.", field="file")
    kind = content_kind(content)
    if kind is None:
        raise InvalidInput(
            f"Filen '{filename}' är varken en PDF, ett Word-dokument (DOCX) eller ett ODT-dokument. "
            "Spara den i något av de formaten och ladda upp den igen.",
            field="file",
        )
    named = EXTENSIONS.get(_extension(filename))
    if named is None:
        raise InvalidInput(
            f"Filnamnet '{filename}' ska sluta på .pdf, .docx eller .odt (filen är {NAMES_SV[kind]}).",
            field="file",
        )
    if named is not kind:
        raise InvalidInput(
            f"Filen '{filename}' heter som {NAMES_SV[named]} men är {NAMES_SV[kind]}. "
            "Kontrollera att du valt rätt fil, eller ge den rätt filändelse.",
            field="file",
        )
    declared = (declared_type or "").split(";")[0].strip().lower()
    if declared not in UNSPECIFIC_TYPES and declared != MEDIA_TYPES[kind]:
        raise InvalidInput(
            f"Filen '{filename}' skickades som '{declared}' men är {NAMES_SV[kind]}.", field="file"
        )
    return Sniffed(kind=kind, media_type=MEDIA_TYPES[kind])
