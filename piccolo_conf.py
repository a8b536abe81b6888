"""Piccolo's configuration: the engine and every app that owns tables (see STYLE.md)."""

from piccolo.conf.apps import AppRegistry

from core.db import make_engine

DB = make_engine()

APP_REGISTRY = AppRegistry(
    apps=[
        "audit.piccolo_app",
        "parties.piccolo_app",
        "lifecycle.piccolo_app",
        "accounts.piccolo_app",
        "notifications.piccolo_app",
        "notifications.feeds.piccolo_app",
        "rounds.piccolo_app",
        "documents.piccolo_app",
        "cases.piccolo_app",
    ]
)
