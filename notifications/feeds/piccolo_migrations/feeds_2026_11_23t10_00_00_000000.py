from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.table import Table

ID = "2026-11-23T10:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "deadline_agreement_wide: the agreement-wide deadlines of an agreement, for party feeds"


class Deadline(Table, tablename="deadline"):
    pass


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="feeds", description=DESCRIPTION)

    async def create():
        # A party's feed holds the agreement-wide deadlines of each of its agreements. Through
        # the index on deadline(agreement) PostgreSQL reads every party's own deadlines too and
        # filters them out: with 50 parties, 200 agreements and 5,000 events that was 33 of the
        # query's 39 ms (EXPLAIN ANALYZE, bench/feed_route_bench.py); with this index, 2 ms.
        await Deadline.raw(
            "CREATE INDEX deadline_agreement_wide ON deadline (agreement) WHERE party_code IS NULL"
        )

    async def drop():
        await Deadline.raw("DROP INDEX deadline_agreement_wide")

    manager.add_raw(create)
    manager.add_raw_backwards(drop)
    return manager
