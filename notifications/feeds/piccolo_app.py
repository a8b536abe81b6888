import os

from piccolo.conf.apps import AppConfig, table_finder

APP_CONFIG = AppConfig(
    app_name="feeds",
    migrations_folder_path=os.path.join(os.path.dirname(__file__), "piccolo_migrations"),
    table_classes=table_finder(modules=["notifications.feeds.tables"], exclude_imported=True),
    # accounts: feed_token.user; lifecycle: an index on its deadline table (second migration)
    migration_dependencies=["accounts.piccolo_app", "lifecycle.piccolo_app"],
    commands=[],
)
