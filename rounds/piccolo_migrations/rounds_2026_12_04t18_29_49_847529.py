from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import ForeignKey

ID = "2026-12-04T18:29:49:847529"
VERSION = "1.38.0"
DESCRIPTION = "A round of a whole structure: round.agreement nullable"


async def forwards():
    manager = MigrationManager(
        migration_id=ID, app_name="rounds", description=DESCRIPTION
    )

    manager.alter_column(
        table_class_name="Round",
        tablename="round",
        column_name="agreement",
        db_column_name="agreement",
        params={"null": True},
        old_params={"null": False},
        column_class=ForeignKey,
        old_column_class=ForeignKey,
        schema=None,
    )

    return manager
