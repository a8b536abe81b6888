"""Swedish full-text search over the register: titles, references, summaries, target groups and
law references (the generated column `agreement.search_document`, see the lifecycle migration
"Swedish full-text search over agreements").

What PostgreSQL's `swedish` configuration does, and what we add (measured on PostgreSQL 15):
- it stems inflections: "sjukvården" and "sjukvård" are the same lexeme;
- it does not split compound words: "Hälso- och sjukvårdsavtal" is indexed as 'hälso' and
  'sjukvårdsavtal', so `websearch_to_tsquery('swedish', 'sjukvård')` alone misses it;
- a prefix query (`sjukvård:*`) finds a compound that starts with the word, with the index;
- nothing in the tsvector finds a word at the end of a compound ("avtal" in
  "sjukvårdsavtal"), so a hit is also a row whose text contains every word (ILIKE). The register
  holds hundreds of rows, not millions: that scan is cheap, and it ranks below the others.
So a row matches the user's query as typed (websearch syntax: quotes, OR, -word), or the
prefixes of its words, or contains them all; the rank prefers the first.
"""

from __future__ import annotations

import re

import msgspec

from lifecycle.tables import Agreement

MAX_HITS = 50
# A word of the query: letters and digits (Swedish letters included); "-word" excludes.
WORD = re.compile(r"(?<![\w-])-?\w+", re.UNICODE)
# ILIKE only for words long enough to mean something inside a compound.
MIN_PART = 3
START, STOP = "[[[", "]]]"  # ts_headline's marks around a match

SEARCH_SQL = (
    "WITH q AS (SELECT websearch_to_tsquery('swedish', {}) AS typed, "
    "to_tsquery('swedish', {}) AS prefixes, to_tsquery('swedish', nullif({}, '')) AS excluded) "
    "SELECT a.id, a.title, a.reference, a.kind, a.status, a.version, s.slug AS structure, "
    "s.name AS structure_name, "
    "ts_rank(a.search_document, q.typed) + 0.5 * ts_rank(a.search_document, q.prefixes) "
    "+ CASE WHEN a.search_document @@ q.typed THEN 1 ELSE 0 END AS rank, "
    "ts_headline('swedish', concat_ws(' · ', a.title, nullif(a.summary, ''), nullif(a.target_group, ''), "
    "nullif(array_to_string(a.law_refs, '; '), '')), q.typed || q.prefixes, "
    f"'StartSel={START}, StopSel={STOP}, "
    'MaxWords=35, MinWords=15, MaxFragments=2, FragmentDelimiter=" … "\') '
    "AS snippet "
    "FROM agreement a JOIN structure s ON s.id = a.structure, q "
    "WHERE (a.search_document @@ q.typed OR a.search_document @@ q.prefixes "
    "OR (cardinality({}::text[]) > 0 AND concat_ws(' ', a.title, a.reference, a.summary, a.target_group, "
    "array_to_string(a.law_refs, ' ')) ILIKE ALL ({}::text[]))) "
    "AND NOT coalesce(a.search_document @@ q.excluded, false) "
    "ORDER BY rank DESC, a.id DESC LIMIT {}"
)


class SnippetPart(msgspec.Struct, kw_only=True):
    text: str
    match: bool


class SearchHit(msgspec.Struct, kw_only=True):
    id: int
    title: str
    reference: str
    kind: str
    status: str
    version: int
    structure: str
    structure_name: str
    rank: float
    snippet: list[SnippetPart]


def query_words(q: str) -> tuple[list[str], list[str]]:
    """The words to look for (as prefixes and parts of compounds), and the excluded ones."""
    words = [w.lower() for w in WORD.findall(q)]
    return [w for w in words if not w.startswith("-")], [w[1:] for w in words if w.startswith("-")]


def snippet_parts(headline: str, words: list[str]) -> list[SnippetPart]:
    """Split ts_headline's marked text into plain and matching parts (the page escapes them).
    Without a mark (a hit on part of a compound), the words themselves are marked."""
    pieces = re.split(f"{re.escape(START)}|{re.escape(STOP)}", headline)
    if len(pieces) == 1 and words:
        pattern = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
        pieces = re.split(f"({pattern})", headline, flags=re.IGNORECASE)
    return [SnippetPart(text=p, match=i % 2 == 1) for i, p in enumerate(pieces) if p]


async def search_agreements(q: str, *, limit: int = MAX_HITS) -> list[SearchHit]:
    """The agreements that match `q`, best first."""
    words, excluded = query_words(q)
    if not words:
        return []
    prefixes = " & ".join(f"{w}:*" for w in words)
    parts = ["%" + w.replace("_", "\\_") + "%" for w in words if len(w) >= MIN_PART]
    rows = await Agreement.raw(SEARCH_SQL, q, prefixes, " | ".join(excluded), parts, parts, limit)
    return [
        SearchHit(**{**r, "rank": float(r["rank"]), "snippet": snippet_parts(r["snippet"], words)})
        for r in rows
    ]
