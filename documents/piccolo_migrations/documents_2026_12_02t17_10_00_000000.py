"""Swedish full-text search over document pages (documents.search).

A stored generated column `agreement_document_page.search_document`: the page's text as a tsvector
in PostgreSQL's `swedish` configuration, with a GIN index. Not declared on the Piccolo table:
nothing writes it, and only `documents.search` reads it. asyncpg runs one statement per call.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.table import Table

ID = "2026-12-02T17:10:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Swedish full-text search over document pages"

COLUMN = """
ALTER TABLE agreement_document_page ADD COLUMN search_document tsvector
GENERATED ALWAYS AS (to_tsvector('swedish'::regconfig, coalesce(text, ''))) STORED
"""
INDEX = (
    "CREATE INDEX agreement_document_page_search_idx ON agreement_document_page USING gin (search_document)"
)


class RawTable(Table):
    pass


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="documents", description=DESCRIPTION)

    async def run():
        await RawTable.raw(COLUMN)
        await RawTable.raw(INDEX)

    async def run_backwards():
        await RawTable.raw("DROP INDEX IF EXISTS agreement_document_page_search_idx")
        await RawTable.raw("ALTER TABLE agreement_document_page DROP COLUMN IF EXISTS search_document")

    manager.add_raw(run)
    manager.add_raw_backwards(run_backwards)
    return manager
