"""Tables of the accounts app."""

from __future__ import annotations

import enum

from piccolo.columns import ForeignKey, Integer, OnDelete, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.constraints import Check, Unique
from piccolo.table import Table

from parties.tables import Party, Structure


class Role(enum.StrEnum):
    ADMIN = "admin"  # everything, users included
    SECRETARIAT = "secretariat"  # of one structure: its agreements, process, decisions, notices, contacts
    CLERK = "clerk"  # of one party: that party's decisions and contacts
    STEWARD = "steward"  # of one agreement: its facts and process steps
    VIEWER = "viewer"  # reads, also where PUBLIC_READ is false


class User(Table, tablename="app_user"):
    """A person (or an integration) who signs in. `email` is stored lower-cased."""

    email = Varchar(length=320, unique=True)
    name = Varchar(length=200)
    password_hash = Varchar(length=200, null=True, default=None)  # None: API tokens only
    created_at = Timestamptz(default=TimestamptzNow())
    last_sign_in_at = Timestamptz(null=True, default=None)


class RoleGrant(Table, tablename="role_grant"):
    """One role of one user, with the scope the role needs (a structure, a party or an agreement)."""

    user = ForeignKey(User, null=False, on_delete=OnDelete.cascade, index=True)
    role = Varchar(length=20, choices=Role)
    structure = ForeignKey(Structure, null=True, on_delete=OnDelete.cascade)
    party = ForeignKey(Party, null=True, on_delete=OnDelete.cascade)
    # A foreign key to agreement(id) is added by the migration: lifecycle sits above accounts, so
    # the table class cannot name lifecycle's Agreement.
    agreement_id = Integer(null=True, default=None, index=True)
    granted_at = Timestamptz(default=TimestamptzNow())

    role_grant_one_per_scope = Unique(
        ["user", "role", "structure", "party", "agreement_id"], nulls_distinct=False
    )
    role_grant_scope_fits_role = Check(
        "CASE role"
        " WHEN 'secretariat' THEN structure IS NOT NULL AND party IS NULL AND agreement_id IS NULL"
        " WHEN 'clerk' THEN party IS NOT NULL AND structure IS NULL AND agreement_id IS NULL"
        " WHEN 'steward' THEN agreement_id IS NOT NULL AND structure IS NULL AND party IS NULL"
        " ELSE structure IS NULL AND party IS NULL AND agreement_id IS NULL END"
    )


class ApiToken(Table, tablename="api_token"):
    """A bearer token for an integration. Only its SHA-256 hash is kept; revoked, never deleted."""

    user = ForeignKey(User, null=False, on_delete=OnDelete.cascade, index=True)
    name = Varchar(length=100)
    token_hash = Varchar(length=64, unique=True)
    prefix = Varchar(length=12)  # the token's first characters, to recognise it in a list
    created_at = Timestamptz(default=TimestamptzNow())
    last_used_at = Timestamptz(null=True, default=None)
    revoked_at = Timestamptz(null=True, default=None)
