"""What an annex (bilaga) or supplement (tilläggsöverenskommelse) may be: it follows its parent.

Seed 003 Del A: "Överenskommelsernas giltighet är direkt kopplat till huvudavtalets giltighet";
its four annexes are adopted with the main agreement and run and end with it. So an attached
agreement binds only parties of its parent, has no term of its own (the parent's governs: see
`validity.effective_term`) and takes no notice of its own: a party's notice of the parent ends
each annex for that party (`agreement.governing_notices`). No template yet gives an attached kind
a term of its own (docs/rules.md, disagreement 5).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

from core.errors import InvalidInput, NotAllowed
from lifecycle.rules.model import AgreementKind
from lifecycle.rules.swedish import party_label
from lifecycle.rules.validity import ATTACHED_KINDS


def check_attached(
    kind: AgreementKind,
    *,
    parties: Collection[str],
    parent_parties: Collection[str],
    has_own_term: bool,
    names: Mapping[str, str],
) -> None:
    """Refuse an annex or supplement with a party its parent does not have, or with a term."""
    if kind not in ATTACHED_KINDS:
        return
    outside = sorted(set(parties) - set(parent_parties), key=lambda c: (len(c), c))
    if outside:
        listed = ", ".join(party_label(code, names) for code in outside)
        raise InvalidInput(
            f"En bilaga eller tilläggsöverenskommelse kan bara gälla parter i huvudöverenskommelsen: "
            f"{listed} är inte part i den.",
            field="party_codes",
        )
    if has_own_term:
        raise InvalidInput(
            "En bilaga eller tilläggsöverenskommelse följer huvudöverenskommelsens giltighetstid och "
            "uppsägning och kan inte ha en egen. Ange ingen giltighetstid.",
            field="term",
        )


def refuse_attached_notice(kind: AgreementKind, parent_id: object) -> None:
    """A notice is given of the parent: it ends the annexes for that party with it."""
    if kind in ATTACHED_KINDS:
        raise NotAllowed(
            "En bilaga eller tilläggsöverenskommelse sägs inte upp för sig: säg upp "
            f"huvudöverenskommelsen (id {parent_id}), så upphör den här för parten samtidigt.",
        )
