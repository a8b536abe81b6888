"""The one error of documents that no core error says: a file larger than the limit."""

from __future__ import annotations

from core.errors import DomainError


class TooLarge(DomainError):
    status_hint = 413
