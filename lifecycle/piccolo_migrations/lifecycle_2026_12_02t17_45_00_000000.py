from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.table import Table

ID = "2026-12-02T17:45:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "data version: one counter raised by every transaction that changes what reads show"

# Every change writes an audit event (the suite enforces it); the stored deadlines and warnings
# also change without one (a sweep as of another day). A deferred trigger raises the counter once
# per transaction, at its commit, so the row is locked for the moment of the commit only.
WATCHED = ("audit_event", "deadline", "validity_warning")


class DataVersion(Table, tablename="data_version"):
    pass


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="lifecycle", description=DESCRIPTION)

    async def create():
        await DataVersion.raw(
            "CREATE TABLE data_version (one boolean PRIMARY KEY DEFAULT true CHECK (one), "
            "version bigint NOT NULL)"
        )
        await DataVersion.raw("INSERT INTO data_version VALUES (true, 0)")
        await DataVersion.raw(
            """
            CREATE FUNCTION raise_data_version() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF current_setting('samverkan.data_version_raised', true)
                        IS DISTINCT FROM txid_current()::text THEN
                    PERFORM set_config('samverkan.data_version_raised', txid_current()::text, true);
                    UPDATE data_version SET version = version + 1;
                END IF;
                RETURN NULL;
            END $$
            """
        )
        for table in WATCHED:
            await DataVersion.raw(
                f"CREATE CONSTRAINT TRIGGER {table}_raises_data_version AFTER INSERT OR UPDATE OR DELETE "
                f"ON {table} DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION raise_data_version()"
            )

    async def drop():
        for table in WATCHED:
            await DataVersion.raw(f"DROP TRIGGER {table}_raises_data_version ON {table}")
        await DataVersion.raw("DROP FUNCTION raise_data_version()")
        await DataVersion.raw("DROP TABLE data_version")

    manager.add_raw(create)
    manager.add_raw_backwards(drop)
    return manager
