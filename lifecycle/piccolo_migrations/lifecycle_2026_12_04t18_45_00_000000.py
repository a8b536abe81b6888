from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.table import Table

ID = "2026-12-04T18:45:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "data version: its raise notifies the API processes (LISTEN samverkan_data_version)"

# The API keeps the data version in memory instead of reading it for every request
# (core.db.VersionWatch): each raise sends the new number on this channel, delivered at the
# commit to every process listening on this database.
CHANNEL = "samverkan_data_version"


class DataVersion(Table, tablename="data_version"):
    pass


def _function(notify: bool) -> str:
    raised = (
        "UPDATE data_version SET version = version + 1 RETURNING version INTO raised; "
        f"PERFORM pg_notify('{CHANNEL}', raised::text);"
        if notify
        else "UPDATE data_version SET version = version + 1;"
    )
    return f"""
        CREATE OR REPLACE FUNCTION raise_data_version() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE
            raised bigint;
        BEGIN
            IF current_setting('samverkan.data_version_raised', true)
                    IS DISTINCT FROM txid_current()::text THEN
                PERFORM set_config('samverkan.data_version_raised', txid_current()::text, true);
                {raised}
            END IF;
            RETURN NULL;
        END $$
        """


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="lifecycle", description=DESCRIPTION)

    async def notify():
        await DataVersion.raw(_function(notify=True))

    async def quiet():
        await DataVersion.raw(_function(notify=False))

    manager.add_raw(notify)
    manager.add_raw_backwards(quiet)
    return manager
