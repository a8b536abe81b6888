"""Uploading an agreement version's documents, reading them back, and extracting their text.

Load → rule → save: the upload checks the file's kind by its content (documents.rules.sniff)
and stores the bytes with the record in one transaction; the extraction (a Celery task after the
upload commits, workers.tasks.extract_document) reads the pages (documents.extract), picks out the
law references (documents.rules.laws) and stores both, then lets the agreement's rules see the
references (lifecycle's `text_law_refs`, and its warnings refreshed), in one transaction.
"""

from __future__ import annotations

import asyncio
import hashlib
from dataclasses import dataclass
from datetime import timedelta

import msgspec
from asyncpg.exceptions import UniqueViolationError

from audit.trail import Actor, record
from core.clock import now, today
from core.errors import Conflict, InvalidInput, NotFound
from documents.errors import TooLarge
from documents.extract import ExtractionError, extract_pages
from documents.rules.laws import law_labels
from documents.rules.sniff import FileKind, Sniffed, sniff
from documents.tables import Document, DocumentPage
from documents.views import DocumentView
from lifecycle import store
from lifecycle.services import checks
from lifecycle.tables import Agreement

# The seeds' largest agreement (003, Västra Götaland's with its annexes and minutes) is about
# 130 kB of text, a few MB as PDF; 20 MB leaves room for scanned annexes.
MAX_BYTES = 20 * 1024 * 1024
MAX_MB = MAX_BYTES // (1024 * 1024)
PARTS = {"text": "avtalstext", "annex": "bilaga"}
TITLE_LENGTH = 300
FILENAME_LENGTH = 255
WAITING_AFTER = timedelta(minutes=5)  # an upload whose task got lost is picked up again after this
SYSTEM = Actor.system("textutläsning")

VIEW_COLUMNS = (
    Document.id,
    Document.agreement.as_alias("agreement_id"),
    Document.part,
    Document.title,
    Document.filename,
    Document.kind,
    Document.media_type,
    Document.size,
    Document.sha256,
    Document.state,
    Document.state_reason,
    Document.page_count,
    Document.scanned_pages,
    Document.law_refs,
    Document.uploaded_at,
    Document.extracted_at,
)


def file_url(document_id: int) -> str:
    return f"/api/documents/{document_id}/file"


def _view(row: dict) -> DocumentView:
    return DocumentView(**row, url=file_url(row["id"]))


def too_large_message() -> str:
    return f"Filen är för stor. Största tillåtna storlek är {MAX_MB} MB."


def _clean(value: str, field: str, what: str, length: int) -> str:
    text = " ".join((value or "").replace("\x00", "").split())
    if len(text) > length:
        raise InvalidInput(f"{what} får vara högst {length} tecken.", field=field)
    return text


@dataclass(frozen=True, slots=True)
class CheckedFile:
    name: str
    title: str
    sniffed: Sniffed
    sha256: str


def check_file(filename: str, declared_type: str | None, content: bytes, title: str) -> CheckedFile:
    """The checks every stored file passes (agreement documents, round files): the size limit, a
    name, a kind by its content (PDF, DOCX, ODT) that its name does not contradict."""
    if len(content) > MAX_BYTES:
        raise TooLarge(too_large_message(), field="file")
    name = _clean(filename, "file", "Filnamnet", FILENAME_LENGTH)
    if not name:
        raise InvalidInput("Filen saknar namn.", field="file")
    sniffed = sniff(content, name, declared_type)
    title = _clean(title, "title", "Titeln", TITLE_LENGTH) or name.rsplit(".", 1)[0]
    return CheckedFile(name, title, sniffed, hashlib.sha256(content).hexdigest())


async def upload(
    agreement_id: int,
    *,
    part: str,
    title: str,
    filename: str,
    declared_type: str | None,
    content: bytes,
    actor: Actor,
) -> DocumentView:
    """Store one file for one agreement version, its extraction waiting. Returns what was stored;
    the caller enqueues the extraction after this has committed."""
    if part not in PARTS:
        raise InvalidInput("Välj om filen är avtalstexten ('text') eller en bilaga ('annex').", field="part")
    checked = check_file(filename, declared_type, content, title)
    name, sniffed, title, digest = checked.name, checked.sniffed, checked.title, checked.sha256
    async with Document._meta.db.transaction():
        await checks.agreement_row(agreement_id, lock=True)
        if await Document.exists().where((Document.agreement == agreement_id) & (Document.sha256 == digest)):
            raise Conflict("Samma fil finns redan på den här versionen av överenskommelsen.", field="file")
        try:
            rows = await Document.insert(
                Document(
                    agreement=agreement_id,
                    part=part,
                    title=title,
                    filename=name,
                    kind=sniffed.kind.value,
                    media_type=sniffed.media_type,
                    size=len(content),
                    sha256=digest,
                    content=content,
                    state="waiting",
                    uploaded_at=now(),
                )
            ).returning(*VIEW_COLUMNS)
        except UniqueViolationError:  # the same file, uploaded at the same moment
            raise Conflict(
                "Samma fil finns redan på den här versionen av överenskommelsen.", field="file"
            ) from None
        view = _view(rows[0])
        await record(
            actor,
            "create",
            "document",
            view.id,
            agreement_id=agreement_id,
            after={k: v for k, v in _plain(view).items() if k not in ("url",)},
        )
    return view


def _plain(view: DocumentView) -> dict:
    return msgspec.to_builtins(view)


async def list_documents(agreement_id: int) -> list[DocumentView]:
    await checks.agreement_row(agreement_id)
    return await documents_of(agreement_id)


async def documents_of(agreement_id: int) -> list[DocumentView]:
    """The documents of an agreement already known to exist (its page loaded it)."""
    rows = (
        await Document.select(*VIEW_COLUMNS)
        .where(Document.agreement == agreement_id)
        .order_by(Document.part, ascending=False)  # the text before the annexes
        .order_by(Document.id)
    )
    return [_view(r) for r in rows]


async def get_document(document_id: int) -> DocumentView:
    row = await Document.select(*VIEW_COLUMNS).where(Document.id == document_id).first()
    if row is None:
        raise NotFound(f"Det finns inget dokument med id {document_id}.")
    return _view(row)


async def document_file(document_id: int) -> tuple[str, str, bytes]:
    """(filename, media type, bytes) of the stored file."""
    row = (
        await Document.select(Document.filename, Document.media_type, Document.content)
        .where(Document.id == document_id)
        .first()
    )
    if row is None:
        raise NotFound(f"Det finns inget dokument med id {document_id}.")
    return row["filename"], row["media_type"], bytes(row["content"])


# Only when the laws differ: the rules see nothing else of the documents, so the same laws
# leave every deadline and warning as it was.
_SET_TEXT_LAW_REFS = (
    "UPDATE agreement SET text_law_refs = {}::varchar[] WHERE id = {} "
    "AND text_law_refs IS DISTINCT FROM {}::varchar[] RETURNING id"
)


async def _agreement_law_refs(agreement_id: int) -> None:
    """The agreement's `text_law_refs`: every law its extracted documents cite; when they
    changed, its rules re-run, so the replaced-law warning sees them. Inside the caller's
    transaction, after every change of what its documents say (extraction, removal)."""
    rows = (
        await Document.select(Document.law_refs)
        .where((Document.agreement == agreement_id) & (Document.state == "done"))
        .order_by(Document.id)
    )
    labels = law_labels(["\n".join(r["law_refs"] or []) for r in rows])
    if await Agreement.raw(_SET_TEXT_LAW_REFS, labels, agreement_id, labels):
        await store.refresh([agreement_id], today())


async def delete_document(document_id: int, *, actor: Actor) -> None:
    async with Document._meta.db.transaction():
        view = await get_document(document_id)
        await Document.delete().where(Document.id == document_id)
        await _agreement_law_refs(view.agreement_id)
        await record(
            actor, "delete", "document", document_id, agreement_id=view.agreement_id, before=_plain(view)
        )


async def extract(document_id: int) -> str:
    """Read the document's pages and law references and store them (state done, or failed with
    the reason). Idempotent: a second run replaces the pages with the same. A document that has
    gone meanwhile is nothing to do."""
    row = (
        await Document.select(Document.id, Document.agreement, Document.kind, Document.content)
        .where(Document.id == document_id)
        .first()
    )
    if row is None:
        return "gone"
    try:
        # pypdf and python-docx are CPU-bound: off the loop, so the worker's loop stays responsive
        pages = await asyncio.to_thread(extract_pages, FileKind(row["kind"]), bytes(row["content"]))
        failure = None
    except ExtractionError as exc:
        pages, failure = [], str(exc)
    async with Document._meta.db.transaction():
        if not await Document.exists().where(Document.id == document_id):
            return "gone"
        await DocumentPage.delete().where(DocumentPage.document == document_id)
        if pages:
            await DocumentPage.insert(
                *(
                    DocumentPage(
                        document=document_id,
                        number=p.number,
                        text=p.text.replace("\x00", ""),
                        scanned=p.scanned,
                    )
                    for p in pages
                )
            )
        changes = {
            "state": "failed" if failure else "done",
            "state_reason": failure or "",
            "page_count": len(pages) if pages else None,
            "scanned_pages": sum(p.scanned for p in pages),
            "law_refs": law_labels([p.text for p in pages]),
            "extracted_at": now(),
        }
        await Document.update(changes).where(Document.id == document_id)
        await _agreement_law_refs(row["agreement"])
        await record(
            SYSTEM,
            "extract",
            "document",
            document_id,
            agreement_id=row["agreement"],
            after={k: v for k, v in changes.items() if k != "extracted_at"},
        )
    return changes["state"]


async def waiting_documents() -> list[int]:
    """Uploads still waiting for their text a while after upload (their task was lost)."""
    rows = await Document.select(Document.id).where(
        (Document.state == "waiting") & (Document.uploaded_at < now() - WAITING_AFTER)
    )
    return [r["id"] for r in rows]
