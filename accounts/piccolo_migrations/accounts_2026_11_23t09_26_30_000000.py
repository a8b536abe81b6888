from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.table import Table

ID = "2026-11-23T09:26:30:000000"
VERSION = "1.38.0"
DESCRIPTION = "a steward's grant references an existing agreement"


class RoleGrant(Table, tablename="role_grant"):
    pass


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="accounts", description=DESCRIPTION)

    async def agreement_foreign_key():
        # accounts sits below lifecycle in the code's layers, so the table class holds a plain
        # integer; the database still refuses a steward grant for an agreement that does not exist.
        await RoleGrant.raw(
            "ALTER TABLE role_grant ADD CONSTRAINT role_grant_agreement_fk FOREIGN KEY (agreement_id) "
            "REFERENCES agreement (id) ON DELETE CASCADE"
        )

    async def drop_agreement_foreign_key():
        await RoleGrant.raw("ALTER TABLE role_grant DROP CONSTRAINT role_grant_agreement_fk")

    manager.add_raw(agreement_foreign_key)
    manager.add_raw_backwards(drop_agreement_foreign_key)
    return manager
