"""Roles, their scopes and what each allows: pure checks, no database."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from accounts.principal import Grant, SignedInUser
from accounts.roles import check_scope
from accounts.tables import Role
from api.access import _covers, authorize
from api.scope import Target
from core.errors import Forbidden, InvalidInput, Unauthenticated

CLERK = Grant(id=1, role=Role.CLERK, party="1401", party_name="Härryda")
SECRETARIAT = Grant(id=2, role=Role.SECRETARIAT, structure="vastra-gotaland", structure_name="VästKom")
STEWARD = Grant(id=3, role=Role.STEWARD, agreement_id=12)


def user(*grants: Grant, name: str = "Anna Berg") -> SignedInUser:
    return SignedInUser(id=7, email="anna@harryda.example", name=name, roles=grants)


def request(who: SignedInUser | None) -> SimpleNamespace:
    return SimpleNamespace(scope={"user": who, "state": {}})


def target(**facts) -> Target:
    defaults = {
        "structures": frozenset(),
        "agreements": frozenset(),
        "agreement_parties": frozenset(),
        "parties": frozenset(),
        "phrase": "",
    }
    return Target(**{**defaults, **{k: frozenset(v) if k != "phrase" else v for k, v in facts.items()}})


def test_a_user_is_labelled_by_name_and_roles_as_the_audit_trail_shows_them():
    assert user(CLERK).label == "Anna Berg (registrator, Härryda)"
    assert (
        user(SECRETARIAT, STEWARD).label == "Anna Berg (sekretariat, VästKom; förvaltare, överenskommelse 12)"
    )
    assert user().label == "Anna Berg"


def test_a_label_longer_than_the_audit_column_is_cut():
    assert len(user(CLERK, name="A" * 300).label) == 200


def test_a_grant_describes_itself_for_messages():
    assert CLERK.description == "registrator för Härryda (1401)"
    assert SECRETARIAT.description == "sekretariat för VästKom (vastra-gotaland)"
    assert STEWARD.description == "förvaltare av överenskommelse 12"


@pytest.mark.parametrize(
    ("role", "scope", "field"),
    [
        (Role.SECRETARIAT, {}, "structure"),
        (Role.SECRETARIAT, {"structure": "orebro", "party": "1401"}, "structure"),
        (Role.CLERK, {"structure": "orebro"}, "party"),
        (Role.STEWARD, {"party": "1401"}, "agreement_id"),
        (Role.ADMIN, {"party": "1401"}, "party"),
        (Role.VIEWER, {"agreement_id": 3}, "agreement_id"),
    ],
)
def test_each_role_takes_exactly_its_own_scope(role, scope, field):
    full = {"structure": None, "party": None, "agreement_id": None, **scope}
    with pytest.raises(InvalidInput) as refused:
        check_scope(role, **full)
    assert refused.value.field == field


def test_the_right_scopes_pass():
    check_scope(Role.SECRETARIAT, structure="orebro", party=None, agreement_id=None)
    check_scope(Role.CLERK, structure=None, party="1401", agreement_id=None)
    check_scope(Role.STEWARD, structure=None, party=None, agreement_id=12)
    check_scope(Role.ADMIN, structure=None, party=None, agreement_id=None)


def test_a_clerk_covers_their_party_and_agreements_their_party_is_in():
    assert _covers(CLERK, target(parties={"1401"}), "decision.log")
    assert not _covers(CLERK, target(parties={"1489"}), "decision.log")
    assert not _covers(CLERK, target(parties={"1401", "1489"}), "decision.log")
    assert _covers(CLERK, target(agreements={12}, agreement_parties={"1401", "1489"}), "decision.log")
    assert not _covers(CLERK, target(agreements={12}, agreement_parties={"0180"}), "decision.log")
    assert not _covers(CLERK, target(structures={"vastra-gotaland"}), "decision.log")


def test_a_clerks_feed_links_are_its_partys_not_those_of_its_agreements_or_structure():
    assert _covers(CLERK, target(parties={"1401"}), "feeds.manage")
    assert not _covers(CLERK, target(agreements={12}, agreement_parties={"1401", "1489"}), "feeds.manage")
    assert not _covers(CLERK, target(structures={"vastra-gotaland"}), "feeds.manage")
    assert _covers(SECRETARIAT, target(structures={"vastra-gotaland"}), "feeds.manage")
    assert _covers(STEWARD, target(agreements={12}), "feeds.manage")


def test_a_secretariat_covers_only_what_lies_wholly_in_its_structure():
    assert _covers(SECRETARIAT, target(structures={"vastra-gotaland"}), "decision.log")
    assert not _covers(SECRETARIAT, target(structures={"vastra-gotaland", "stockholm"}), "decision.log")
    assert not _covers(SECRETARIAT, target(), "decision.log")


def test_a_steward_covers_only_their_agreement():
    assert _covers(STEWARD, target(agreements={12}), "decision.log")
    assert not _covers(STEWARD, target(agreements={12, 13}), "decision.log")
    assert not _covers(STEWARD, target(parties={"1401"}), "decision.log")


async def test_anonymous_is_asked_to_sign_in():
    with pytest.raises(Unauthenticated):
        await authorize(request(None), "decision.log")


async def test_an_admin_may_do_anything_without_a_lookup():
    admin = user(Grant(id=9, role=Role.ADMIN))
    for permission in ("agreement.create", "admin", "decision.log"):
        await authorize(request(admin), permission, agreement_id=999999)


async def test_a_role_without_the_permission_is_refused_before_any_lookup():
    with pytest.raises(Forbidden) as refused:
        await authorize(request(user(CLERK)), "agreement.create", structure="vastra-gotaland")
    assert refused.value.message == (
        "Du får inte skapa överenskommelser. Du är registrator för Härryda (1401)."
    )


async def test_a_viewer_may_change_nothing():
    with pytest.raises(Forbidden) as refused:
        await authorize(request(user(Grant(id=4, role=Role.VIEWER))), "contact.edit")
    assert refused.value.message == "Du får inte ändra kontakter. Du är läsare."


async def test_an_unknown_permission_is_a_programming_error():
    with pytest.raises(ValueError, match=r"unknown permission 'decision\.delete'"):
        await authorize(request(user(CLERK)), "decision.delete")
