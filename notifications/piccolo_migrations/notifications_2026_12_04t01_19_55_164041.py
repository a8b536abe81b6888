from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from enum import Enum
from piccolo.columns.column_types import Integer
from piccolo.columns.column_types import Timestamptz
from piccolo.columns.column_types import Varchar
from piccolo.columns.indexes import IndexMethod

ID = "2026-12-04T01:19:55:164041"
VERSION = "1.38.0"
DESCRIPTION = "What happened: events in the outbox, and the preference to get them"


async def forwards():
    manager = MigrationManager(
        migration_id=ID, app_name="notifications", description=DESCRIPTION
    )

    manager.add_column(
        table_class_name="Delivery",
        tablename="delivery",
        column_name="event",
        db_column_name="event",
        column_class_name="Integer",
        column_class=Integer,
        params={
            "default": None,
            "null": True,
            "primary_key": False,
            "unique": False,
            "index": True,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )

    manager.add_column(
        table_class_name="Preference",
        tablename="notification_preference",
        column_name="events_from",
        db_column_name="events_from",
        column_class_name="Timestamptz",
        column_class=Timestamptz,
        params={
            "default": None,
            "null": True,
            "primary_key": False,
            "unique": False,
            "index": False,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )

    manager.alter_column(
        table_class_name="Delivery",
        tablename="delivery",
        column_name="source",
        db_column_name="source",
        params={
            "choices": Enum(
                "Source",
                {"DEADLINE": "deadline", "WARNING": "warning", "EVENT": "event"},
            )
        },
        old_params={
            "choices": Enum(
                "Source", {"DEADLINE": "deadline", "WARNING": "warning"}
            )
        },
        column_class=Varchar,
        old_column_class=Varchar,
        schema=None,
    )

    # an outbox row now refers to a deadline, a warning or an event (an audit event): the
    # constraint that says so comes back in the next migration, naming the new column
    manager.drop_constraint(
        table_class_name="Delivery", tablename="delivery", constraint_name="delivery_source_ref"
    )

    return manager
