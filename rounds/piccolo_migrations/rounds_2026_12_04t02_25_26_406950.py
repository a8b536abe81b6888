from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.base import OnDelete
from piccolo.columns.base import OnUpdate
from piccolo.columns.column_types import ForeignKey
from piccolo.columns.column_types import Integer
from piccolo.columns.column_types import Serial
from piccolo.columns.column_types import Timestamptz
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.columns.indexes import IndexMethod
from piccolo.constraints import Check
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


ID = "2026-12-04T02:25:26:406950"
VERSION = "1.38.0"
DESCRIPTION = "A structure's lead time for follow-up rounds"


async def forwards():
    manager = MigrationManager(
        migration_id=ID, app_name="rounds", description=DESCRIPTION
    )

    manager.add_table(
        class_name="RoundPolicy",
        tablename="round_policy",
        schema=None,
        columns=None,
    )

    manager.add_column(
        table_class_name="RoundPolicy",
        tablename="round_policy",
        column_name="structure",
        db_column_name="structure",
        column_class_name="ForeignKey",
        column_class=ForeignKey,
        params={
            "references": Structure,
            "on_delete": OnDelete.cascade,
            "on_update": OnUpdate.cascade,
            "target_column": None,
            "null": False,
            "primary_key": False,
            "unique": True,
            "index": False,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )

    manager.add_column(
        table_class_name="RoundPolicy",
        tablename="round_policy",
        column_name="follow_up_weeks",
        db_column_name="follow_up_weeks",
        column_class_name="Integer",
        column_class=Integer,
        params={
            "default": 0,
            "null": False,
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

    manager.add_column(
        table_class_name="RoundPolicy",
        tablename="round_policy",
        column_name="updated_at",
        db_column_name="updated_at",
        column_class_name="Timestamptz",
        column_class=Timestamptz,
        params={
            "default": TimestamptzNow(),
            "null": False,
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

    manager.add_constraint(
        table_class_name="RoundPolicy",
        tablename="round_policy",
        constraint_name="round_policy_weeks",
        constraint_class=Check,
        params={"condition": "follow_up_weeks BETWEEN 1 AND 26"},
        schema=None,
    )

    return manager
