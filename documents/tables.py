"""Tables of an agreement version's documents: the file itself and its text, page by page.

The file's bytes are stored in PostgreSQL beside its record (docs/documents.md: one transaction,
one backup, nothing else to run). Each page's text has a tsvector in the `swedish` configuration
(a generated column with a GIN index, added by the migration "Swedish full-text search over
document pages"; not declared here, since nothing writes it and only `documents.search` reads it).
"""

from __future__ import annotations

from piccolo.columns import (
    Array,
    Boolean,
    Bytea,
    ForeignKey,
    Integer,
    OnDelete,
    Serial,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.constraints import Check, Unique
from piccolo.table import Table

from lifecycle.tables import Agreement
from rounds.tables import Round, RoundAnswer


class Document(Table, tablename="agreement_document"):
    """One file of one agreement version: its text (`part` "text") or an annex ("annex")."""

    id = Serial(primary_key=True)
    agreement = ForeignKey(Agreement, null=False, on_delete=OnDelete.cascade, index=True)
    part = Varchar(length=10, default="text")
    title = Varchar(length=300)
    filename = Varchar(length=255)
    kind = Varchar(length=5)  # documents.rules.sniff.FileKind: pdf, docx, odt
    media_type = Varchar(length=100)
    size = Integer()
    sha256 = Varchar(length=64)
    content = Bytea()
    # extraction: waiting -> done | failed (reason in state_reason)
    state = Varchar(length=10, default="waiting", index=True)
    state_reason = Text(default="")
    page_count = Integer(null=True, default=None)
    scanned_pages = Integer(default=0)  # pages without a text layer
    law_refs = Array(base_column=Varchar(length=120), default=list)
    uploaded_at = Timestamptz(default=TimestamptzNow())
    extracted_at = Timestamptz(null=True, default=None)

    one_file_per_version = Unique(["agreement", "sha256"])
    known_part = Check("part IN ('text', 'annex')")
    known_state = Check("state IN ('waiting', 'done', 'failed')")


class DocumentPage(Table, tablename="agreement_document_page"):
    """One page's text (a PDF's page; a DOCX or ODT is split at its page breaks)."""

    document = ForeignKey(Document, null=False, on_delete=OnDelete.cascade, index=True)
    number = Integer()
    text = Text(default="")
    scanned = Boolean(default=False)  # no text layer: an image of the page

    one_row_per_page = Unique(["document", "number"])


class RoundFile(Table, tablename="round_file"):
    """A file on a round (the secretariat's material, `answer` NULL) or on one party's answer,
    stored and checked as the agreements' documents are (PDF, DOCX, ODT by content, the same
    limit). An answer's file is as public as its answer: a draft's only for the party."""

    id = Serial(primary_key=True)
    round = ForeignKey(Round, null=False, on_delete=OnDelete.cascade, index=True)
    answer = ForeignKey(RoundAnswer, null=True, default=None, on_delete=OnDelete.cascade, index=True)
    title = Varchar(length=300)
    filename = Varchar(length=255)
    kind = Varchar(length=5)  # documents.rules.sniff.FileKind
    media_type = Varchar(length=100)
    size = Integer()
    sha256 = Varchar(length=64)
    content = Bytea()
    uploaded_at = Timestamptz(default=TimestamptzNow())
    uploaded_by = Varchar(length=200, default="")
