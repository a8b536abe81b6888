"""What the document services take and return: plain structs the API uses as its schemas."""

from __future__ import annotations

from datetime import datetime

import msgspec


class DocumentView(msgspec.Struct, kw_only=True):
    id: int
    agreement_id: int
    part: str  # "text": the agreement's own text; "annex": a bilaga
    title: str
    filename: str
    kind: str  # pdf, docx, odt (by content)
    media_type: str
    size: int
    sha256: str
    state: str  # waiting, done, failed (extraction)
    state_reason: str
    page_count: int | None
    scanned_pages: int
    law_refs: list[str]
    uploaded_at: datetime
    extracted_at: datetime | None
    url: str  # the file itself


class RoundFileView(msgspec.Struct, kw_only=True):
    """A file on a round (`party_code` null: the round's own material) or on a party's answer."""

    id: int
    round_id: int
    party_code: str | None
    title: str
    filename: str
    kind: str  # pdf, docx, odt (by content)
    media_type: str
    size: int
    sha256: str
    uploaded_at: datetime
    uploaded_by: str
    url: str  # the file itself


class VersionSide(msgspec.Struct, kw_only=True):
    id: int
    version: int
    title: str
    documents: list[str]  # the titles of the documents whose text is compared
    missing: str | None = None  # why this side has no text to compare, in Swedish


class WordsView(msgspec.Struct, kw_only=True):
    change: str  # same, removed, added
    text: str


class ParagraphView(msgspec.Struct, kw_only=True):
    change: str  # same, added, removed, changed
    old: str | None
    new: str | None
    words: list[WordsView] = msgspec.field(default_factory=list)


class ComparisonView(msgspec.Struct, kw_only=True):
    old: VersionSide
    new: VersionSide
    counts: dict[str, int]
    paragraphs: list[ParagraphView]
