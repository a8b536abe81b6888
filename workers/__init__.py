"""Celery: the app, its beat schedule, and thin tasks that call services."""
