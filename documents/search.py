"""Search the register and the agreements' own text together.

The register's fields are searched by `lifecycle.search`; the documents' pages by the same query
(its `QUERY_CTE`, `matches` and `rank`: the query as typed, the prefixes of its words for
compounds, every word by ILIKE for the end of a compound), each page with its tsvector in the
`swedish` configuration (migration "Swedish full-text search over document pages"). Per agreement
the best page counts, with a highlighted snippet, its page number and how many pages match. The
two ranks add up; a hit in the text counts `TEXT_WEIGHT` of one in the register fields, so at
equal match an agreement whose title or summary holds the words ranks above one that only
mentions them somewhere in its text.
"""

from __future__ import annotations

import msgspec

from documents.services import file_url
from documents.tables import DocumentPage
from lifecycle.search import (
    HEADLINE_MARKS,
    HEADLINE_QUERY,
    HIT_COLUMNS,
    MAX_HITS,
    QUERY_CTE,
    SearchHit,
    SnippetPart,
    matches,
    parse,
    rank,
    search_agreements,
    snippet_parts,
)

TEXT_WEIGHT = 0.5

PAGES_SQL = (
    f"WITH {QUERY_CTE}, "
    "matching AS (SELECT d.agreement, d.id AS document_id, d.title AS document_title, "
    "d.kind AS document_kind, "
    "p.id AS page_id, p.number AS page, "
    f"{rank('p.search_document')} AS rank, "
    "count(*) OVER (PARTITION BY d.agreement) AS pages_matched "
    "FROM agreement_document_page p JOIN agreement_document d ON d.id = p.document, q "
    f"WHERE {matches('p.search_document', 'p.text')}), "
    "per_agreement AS (SELECT DISTINCT ON (agreement) * FROM matching "
    "ORDER BY agreement, rank DESC, document_id, page), "
    "best AS (SELECT * FROM per_agreement ORDER BY rank DESC, agreement DESC LIMIT {}) "
    f"SELECT b.*, {HIT_COLUMNS}, "
    f"ts_headline('swedish', p.text, {HEADLINE_QUERY}, "
    f"'{HEADLINE_MARKS}, "
    "MaxWords=30, MinWords=12, MaxFragments=1') AS snippet "
    "FROM best b JOIN agreement_document_page p ON p.id = b.page_id "
    "JOIN agreement a ON a.id = b.agreement JOIN structure s ON s.id = a.structure, q "
    "ORDER BY b.rank DESC, b.agreement DESC"
)
# the agreement's fields of a text hit (its rank and snippet are the register's, none here)
_AGREEMENT_FIELDS = tuple(f for f in SearchHit.__struct_fields__ if f not in ("rank", "snippet"))


class TextHit(msgspec.Struct, kw_only=True):
    """Where in an agreement's documents the words are: its best page."""

    document_id: int
    document_title: str
    page: int
    pages_matched: int
    url: str  # the file at that page (a PDF viewer opens it there)
    snippet: list[SnippetPart]


class RegisterHit(msgspec.Struct, kw_only=True):
    agreement: SearchHit
    text: TextHit | None
    rank: float


def _page_url(document_id: int, kind: str, page: int) -> str:
    # `#page=N` is the PDF open parameter (Adobe's, which browsers' viewers follow); DOCX and ODT
    # have no fixed pages to jump to
    return f"{file_url(document_id)}#page={page}" if kind == "pdf" else file_url(document_id)


async def search_text(q: str, *, limit: int = MAX_HITS) -> list[tuple[SearchHit, TextHit, float]]:
    """The agreements whose documents hold the words, each with its best page."""
    query = parse(q)
    if query is None:
        return []
    rows = await DocumentPage.raw(PAGES_SQL, *query.params, limit)
    found = []
    for r in rows:
        agreement = SearchHit(**{f: r[f] for f in _AGREEMENT_FIELDS}, rank=0.0, snippet=[])
        text = TextHit(
            document_id=r["document_id"],
            document_title=r["document_title"],
            page=r["page"],
            pages_matched=r["pages_matched"],
            url=_page_url(r["document_id"], r["document_kind"], r["page"]),
            snippet=snippet_parts(r["snippet"], query.words),
        )
        found.append((agreement, text, float(r["rank"])))
    return found


def combine(
    register: list[SearchHit], text: list[tuple[SearchHit, TextHit, float]], limit: int
) -> list[RegisterHit]:
    """One hit per agreement, the register's and the text's ranks added, best first."""
    hits = {h.id: RegisterHit(agreement=h, text=None, rank=h.rank) for h in register}
    for agreement, where, text_rank in text:
        if agreement.id in hits:
            hit = hits[agreement.id]
            hits[agreement.id] = RegisterHit(
                agreement=hit.agreement, text=where, rank=hit.rank + TEXT_WEIGHT * text_rank
            )
        else:
            hits[agreement.id] = RegisterHit(agreement=agreement, text=where, rank=TEXT_WEIGHT * text_rank)
    return sorted(hits.values(), key=lambda h: (-h.rank, -h.agreement.id))[:limit]


async def search_register(q: str, *, limit: int = MAX_HITS) -> list[RegisterHit]:
    """The agreements that match `q` in their register fields or their documents' text."""
    return combine(await search_agreements(q, limit=limit), await search_text(q, limit=limit), limit)
