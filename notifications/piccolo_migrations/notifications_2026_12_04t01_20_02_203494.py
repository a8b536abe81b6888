from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.constraints import Check

ID = "2026-12-04T01:20:02:203494"
VERSION = "1.38.0"
DESCRIPTION = "An outbox row refers to a deadline, a warning or an event"


async def forwards():
    manager = MigrationManager(
        migration_id=ID, app_name="notifications", description=DESCRIPTION
    )

    manager.add_constraint(
        table_class_name="Delivery",
        tablename="delivery",
        constraint_name="delivery_source_ref",
        constraint_class=Check,
        params={
            "condition": "(source = 'deadline' AND deadline IS NOT NULL AND warning IS NULL AND event IS NULL) OR (source = 'warning' AND warning IS NOT NULL AND deadline IS NULL AND event IS NULL) OR (source = 'event' AND event IS NOT NULL AND deadline IS NULL AND warning IS NULL)"
        },
        schema=None,
    )

    return manager
