import os

from piccolo.conf.apps import AppConfig, table_finder

APP_CONFIG = AppConfig(
    app_name="documents",
    migrations_folder_path=os.path.join(os.path.dirname(__file__), "piccolo_migrations"),
    table_classes=table_finder(modules=["documents.tables"], exclude_imported=True),
    migration_dependencies=["lifecycle.piccolo_app", "rounds.piccolo_app"],
    commands=[],
)
