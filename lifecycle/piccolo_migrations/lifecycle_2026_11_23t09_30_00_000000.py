"""Swedish full-text search over the register (lifecycle.search).

A stored generated column `agreement.search_document` (a tsvector in PostgreSQL's `swedish`
configuration: title and reference weighted A, summary and target group B, law references C)
with a GIN index. The column is not declared on the Piccolo table: nothing writes it, and only
`lifecycle.search` reads it. `array_to_string` is only STABLE, so the document is built by an
IMMUTABLE SQL function (safe: joining text values does not depend on any setting). asyncpg runs
one statement per call, so each statement is its own `raw`.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.table import Table

ID = "2026-11-23T09:30:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Swedish full-text search over agreements"

FUNCTION = """
CREATE OR REPLACE FUNCTION agreement_search_document(
    title text, reference text, summary text, target_group text, law_refs text[]
) RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT setweight(to_tsvector('swedish', coalesce(title, '') || ' ' || coalesce(reference, '')), 'A')
        || setweight(to_tsvector('swedish', coalesce(summary, '') || ' ' || coalesce(target_group, '')), 'B')
        || setweight(to_tsvector('swedish', coalesce(array_to_string(law_refs, ' '), '')), 'C')
$$
"""

COLUMN = """
ALTER TABLE agreement ADD COLUMN search_document tsvector GENERATED ALWAYS AS (
    agreement_search_document(title, reference, summary, target_group, law_refs::text[])
) STORED
"""

INDEX = "CREATE INDEX agreement_search_document_idx ON agreement USING gin (search_document)"


class RawTable(Table):
    pass


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="lifecycle", description=DESCRIPTION)

    async def run():
        await RawTable.raw(FUNCTION)
        await RawTable.raw(COLUMN)
        await RawTable.raw(INDEX)

    async def run_backwards():
        await RawTable.raw("DROP INDEX IF EXISTS agreement_search_document_idx")
        await RawTable.raw("ALTER TABLE agreement DROP COLUMN IF EXISTS search_document")
        await RawTable.raw("DROP FUNCTION IF EXISTS agreement_search_document(text, text, text, text, text[])")

    manager.add_raw(run)
    manager.add_raw_backwards(run_backwards)
    return manager
