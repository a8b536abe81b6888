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
The documents' pages are searched by the same query (`QUERY_CTE`, `matches`, `rank`:
documents.search).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import msgspec

from lifecycle.tables import Agreement

MAX_HITS = 50
# A word of the query: letters and digits (Swedish letters included); "-word" excludes.
WORD = re.compile(r"(?<![\w-])-?\w+", re.UNICODE)
# ILIKE only for words long enough to mean something inside a compound.
MIN_PART = 3
START, STOP = "[[[", "]]]"  # ts_headline's marks around a match

# The query as the SQL takes it, one CTE `q` that every search joins (the register's fields here,
# the documents' pages in documents.search): as typed (websearch syntax), the prefixes of its
# words, the excluded words. Three parameters: the first three of `Query.params`.
QUERY_CTE = (
    "q AS (SELECT websearch_to_tsquery('swedish', {}) AS typed, "
    "to_tsquery('swedish', {}) AS prefixes, to_tsquery('swedish', nullif({}, '')) AS excluded)"
)
HEADLINE_QUERY = "q.typed || q.prefixes"  # what ts_headline marks
HEADLINE_MARKS = f"StartSel={START}, StopSel={STOP}"


def rank(vector: str) -> str:
    """SQL: a row's rank; a match as typed counts fully and ranks above any by prefixes or ILIKE."""
    return (
        f"ts_rank({vector}, q.typed) + 0.5 * ts_rank({vector}, q.prefixes) "
        f"+ CASE WHEN {vector} @@ q.typed THEN 1 ELSE 0 END"
    )


def matches(vector: str, text: str) -> str:
    """SQL: the row matches the query as typed, or the prefixes of its words, or its `text`
    contains every word (ILIKE: a word at the end of a compound); and holds no excluded word.
    Two parameters: the last two of `Query.params`."""
    return (
        f"({vector} @@ q.typed OR {vector} @@ q.prefixes "
        f"OR (cardinality({{}}::text[]) > 0 AND {text} ILIKE ALL ({{}}::text[]))) "
        f"AND NOT coalesce({vector} @@ q.excluded, false)"
    )


# The agreement's columns of a hit, as `SearchHit` names them (from `agreement a`, `structure s`).
HIT_COLUMNS = (
    "a.id, a.title, a.reference, a.kind, a.status, a.version, s.slug AS structure, s.name AS structure_name"
)
_REGISTER_TEXT = (
    "concat_ws(' ', a.title, a.reference, a.summary, a.target_group, array_to_string(a.law_refs, ' '))"
)
SEARCH_SQL = (
    f"WITH {QUERY_CTE} "
    f"SELECT {HIT_COLUMNS}, {rank('a.search_document')} AS rank, "
    "ts_headline('swedish', concat_ws(' · ', a.title, nullif(a.summary, ''), nullif(a.target_group, ''), "
    f"nullif(array_to_string(a.law_refs, '; '), '')), {HEADLINE_QUERY}, "
    f"'{HEADLINE_MARKS}, "
    'MaxWords=35, MinWords=15, MaxFragments=2, FragmentDelimiter=" … "\') '
    "AS snippet "
    "FROM agreement a JOIN structure s ON s.id = a.structure, q "
    f"WHERE {matches('a.search_document', _REGISTER_TEXT)} "
    "ORDER BY rank DESC, a.id DESC LIMIT {}"
)


@dataclass(frozen=True, slots=True)
class Query:
    """What the user typed, as every search's SQL takes it."""

    typed: str
    words: list[str]  # looked for as prefixes and as parts of compounds
    excluded: list[str]

    @property
    def params(self) -> tuple[str, str, str, list[str], list[str]]:
        """The parameters of `QUERY_CTE` and then of `matches`, in that order."""
        parts = ["%" + w.replace("_", "\\_") + "%" for w in self.words if len(w) >= MIN_PART]
        prefixes = " & ".join(f"{w}:*" for w in self.words)
        return self.typed, prefixes, " | ".join(self.excluded), parts, parts


def parse(q: str) -> Query | None:
    """The query, or None when it holds no word to look for."""
    words, excluded = query_words(q)
    return Query(q, words, excluded) if words else None


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
    query = parse(q)
    if query is None:
        return []
    rows = await Agreement.raw(SEARCH_SQL, *query.params, limit)
    return [
        SearchHit(**{**r, "rank": float(r["rank"]), "snippet": snippet_parts(r["snippet"], query.words)})
        for r in rows
    ]
