"""Stewards' e-mail addresses on an agreement's page, in its JSON and in its history.

An agreement is a public record (PUBLIC_READ); the addresses of the people who steward it are
personal data. Only those who handle the agreement see them: whoever may edit it (admins, its
structure's secretariat, its stewards: `agreement.edit`). Everyone else sees the stewards' names
and organisations, with `email` null. (Contacts' addresses are a party's: `api.parties`.)
"""

from __future__ import annotations

from collections.abc import Mapping

import msgspec
from litestar.connection import ASGIConnection

from api.access import allowed
from lifecycle.views import AgreementDetail

HANDLES = "agreement.edit"


async def sees_steward_addresses(request: ASGIConnection, agreement_id: int) -> bool:
    return await allowed(request, HANDLES, agreement_id=agreement_id)


async def agreement_shown(request: ASGIConnection, detail: AgreementDetail) -> AgreementDetail:
    if detail.stewards and not await sees_steward_addresses(request, detail.id):
        detail.stewards = [msgspec.structs.replace(s, email=None) for s in detail.stewards]
    return detail


def _without_addresses(state: object) -> object:
    if not isinstance(state, Mapping) or not isinstance(state.get("stewards"), list):
        return state
    stewards = [{**s, "email": None} if isinstance(s, Mapping) else s for s in state["stewards"]]
    return {**state, "stewards": stewards}


async def history_shown(request: ASGIConnection, agreement_id: int, events: list[dict]) -> list[dict]:
    """The agreement's audit events; its snapshots (before, after) hold the stewards."""
    if await sees_steward_addresses(request, agreement_id):
        return events
    return [
        {**e, "before": _without_addresses(e["before"]), "after": _without_addresses(e["after"])}
        if e.get("entity") == "agreement"
        else e
        for e in events
    ]
