"""The checked-in migrations describe the tables as the code defines them: a table change
without its migration fails here (what `piccolo migrations new --auto` would still write)."""

from __future__ import annotations

import pytest
from piccolo.apps.migrations.commands.new import AutoMigrationManager
from piccolo.conf.apps import Finder

APPS = [config.app_name for config in Finder().get_app_configs()]


@pytest.mark.parametrize("app_name", APPS)
async def test_every_table_change_has_its_migration(app_name):
    config = Finder().get_app_config(app_name)
    alter = await AutoMigrationManager(auto_input="y").get_alter_statements(app_config=config)
    pending = [statement for group in alter for statement in group.statements]
    assert pending == [], f"{app_name}: run `piccolo migrations new {app_name} --auto`"
