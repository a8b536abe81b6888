from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.base import OnDelete
from piccolo.columns.base import OnUpdate
from piccolo.columns.column_types import ForeignKey
from piccolo.columns.indexes import IndexMethod
from piccolo.constraints import Check

ID = "2026-12-04T02:02:55:736615"
VERSION = "1.38.0"
DESCRIPTION = "True"


async def forwards():
    manager = MigrationManager(
        migration_id=ID, app_name="lifecycle", description=DESCRIPTION
    )

    manager.add_column(
        table_class_name="Agreement",
        tablename="agreement",
        column_name="replaced_by",
        db_column_name="replaced_by",
        column_class_name="ForeignKey",
        column_class=ForeignKey,
        params={
            "references": "self",
            "on_delete": OnDelete.restrict,
            "on_update": OnUpdate.cascade,
            "target_column": None,
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

    manager.add_constraint(
        table_class_name="Agreement",
        tablename="agreement",
        constraint_name="not_replaced_by_itself",
        constraint_class=Check,
        params={"condition": "replaced_by IS NULL OR replaced_by <> id"},
        schema=None,
    )

    return manager
