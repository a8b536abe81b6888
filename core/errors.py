"""Domain errors raised by services and rules.

`api/` maps each class to one HTTP status (see `api.errors`); the CLI prints the message.
Messages are written for the person who caused them: Swedish-speaking clerks read them.
"""

from __future__ import annotations


class DomainError(Exception):
    """Base class. `message` is shown to the user as it is."""

    status_hint = 400

    def __init__(self, message: str, *, field: str | None = None, extra: dict | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.extra = extra or {}


class NotFound(DomainError):
    """A record the caller named does not exist."""

    status_hint = 404


class InvalidInput(DomainError):
    """Input that is well-formed but breaks a rule (dates out of order, unknown code...)."""

    status_hint = 422


class Conflict(DomainError):
    """The request clashes with stored state (a duplicate, a stale version)."""

    status_hint = 409


class NotAllowed(DomainError):
    """The process does not allow this now (e.g. a step the template does not permit)."""

    status_hint = 409


class Forbidden(DomainError):
    """The signed-in user may not do this."""

    status_hint = 403


class Unauthenticated(DomainError):
    """Sign-in needed."""

    status_hint = 401
