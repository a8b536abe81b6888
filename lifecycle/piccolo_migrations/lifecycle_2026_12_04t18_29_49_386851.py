from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.base import OnDelete
from piccolo.columns.base import OnUpdate
from piccolo.columns.column_types import ForeignKey
from piccolo.columns.column_types import Serial
from piccolo.columns.indexes import IndexMethod
from piccolo.constraints import Check
from piccolo.constraints import Unique
from piccolo.table import Table


class Structure(Table, tablename="structure", schema=None):
    id = Serial(
        null=False,
        primary_key=True,
        unique=False,
        index=False,
        index_method=IndexMethod.btree,
        choices=None,
        db_column_name="id",
        secret=False,
    )


ID = "2026-12-04T18:29:49:386851"
VERSION = "1.38.0"
DESCRIPTION = "A structure's deadlines and rounds: agreement nullable, deadline.structure"


async def forwards():
    manager = MigrationManager(
        migration_id=ID, app_name="lifecycle", description=DESCRIPTION
    )

    manager.add_column(
        table_class_name="StoredDeadline",
        tablename="deadline",
        column_name="structure",
        db_column_name="structure",
        column_class_name="ForeignKey",
        column_class=ForeignKey,
        params={
            "references": Structure,
            "on_delete": OnDelete.cascade,
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

    manager.alter_column(
        table_class_name="StoredDeadline",
        tablename="deadline",
        column_name="agreement",
        db_column_name="agreement",
        params={"null": True},
        old_params={"null": False},
        column_class=ForeignKey,
        old_column_class=ForeignKey,
        schema=None,
    )

    manager.add_constraint(
        table_class_name="StoredDeadline",
        tablename="deadline",
        constraint_name="deadline_agreement_or_structure",
        constraint_class=Check,
        params={"condition": "(agreement IS NULL) <> (structure IS NULL)"},
        schema=None,
    )

    manager.add_constraint(
        table_class_name="StoredDeadline",
        tablename="deadline",
        constraint_name="deadline_structure_key",
        constraint_class=Unique,
        params={"columns": ["structure", "key"], "nulls_distinct": True},
        schema=None,
    )

    return manager
