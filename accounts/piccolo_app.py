import os

from piccolo.conf.apps import AppConfig, table_finder

APP_CONFIG = AppConfig(
    app_name="accounts",
    migrations_folder_path=os.path.join(os.path.dirname(__file__), "piccolo_migrations"),
    table_classes=table_finder(modules=["accounts.tables"], exclude_imported=True),
    # lifecycle: a steward's grant references an agreement (a foreign key added in the migration)
    migration_dependencies=["parties.piccolo_app", "lifecycle.piccolo_app"],
    commands=[],
)
