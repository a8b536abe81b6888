"""What a change acts on, resolved in one query: the structures, agreements and parties it touches.

`authorize()` is called with whatever the route knows (an agreement id, a party code, a decision
id, a structure slug); this turns those into facts a role's scope can be compared with: an
agreement's structure and parties, a party's structure, a decision's party and agreement.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.errors import NotFound
from parties.tables import Structure

_TARGET = """
SELECT a.id AS a_id, sa.slug AS a_structure,
       ARRAY(SELECT pa.code FROM agreement_party ap JOIN party pa ON pa.id = ap.party
             WHERE ap.agreement = a.id) AS a_parties,
       p.code AS p_code, p.name AS p_name, sp.slug AS p_structure,
       d.id AS d_id, d.agreement AS d_agreement, dp.code AS d_party, dp.name AS d_party_name,
       sd.slug AS d_structure,
       ARRAY(SELECT pa.code FROM agreement_party ap JOIN party pa ON pa.id = ap.party
             WHERE ap.agreement = d.agreement) AS d_parties,
       s.slug AS s_slug, s.name AS s_name
FROM (SELECT 1) AS one
LEFT JOIN agreement a ON a.id = {}::int
LEFT JOIN structure sa ON sa.id = a.structure
LEFT JOIN party p ON p.code = {}::varchar
LEFT JOIN structure sp ON sp.id = p.structure
LEFT JOIN party_decision d ON d.id = {}::int
LEFT JOIN party dp ON dp.id = d.party
LEFT JOIN agreement da ON da.id = d.agreement
LEFT JOIN structure sd ON sd.id = da.structure
LEFT JOIN structure s ON s.slug = {}::varchar
"""


@dataclass(frozen=True, slots=True)
class Target:
    structures: frozenset[str]  # slugs
    agreements: frozenset[int]
    agreement_parties: frozenset[str]  # party codes that are parties of every agreement touched
    parties: frozenset[str]  # party codes touched
    phrase: str  # how a message names it: "för Alingsås (1489)"


async def resolve(
    *, structure: str | None, agreement_id: int | None, party_code: str | None, decision_id: int | None
) -> Target:
    row = (await Structure.raw(_TARGET, agreement_id, party_code, decision_id, structure))[0]
    if agreement_id is not None and row["a_id"] is None:
        raise NotFound(f"Överenskommelse {agreement_id} finns inte.")
    if party_code is not None and row["p_code"] is None:
        raise NotFound(f"Det finns ingen part med koden '{party_code}'.")
    if decision_id is not None and row["d_id"] is None:
        raise NotFound(f"Beslut {decision_id} finns inte.")
    if structure is not None and row["s_slug"] is None:
        raise NotFound(f"Samverkansstrukturen '{structure}' finns inte.")

    agreements = {i for i in (row["a_id"], row["d_agreement"]) if i is not None}
    member_lists = [
        set(row[k]) for k, i in (("a_parties", row["a_id"]), ("d_parties", row["d_agreement"])) if i
    ]
    parties = {
        (c, n) for c, n in ((row["p_code"], row["p_name"]), (row["d_party"], row["d_party_name"])) if c
    }
    structures = {s for s in (row["a_structure"], row["p_structure"], row["d_structure"], row["s_slug"]) if s}

    if parties:
        phrase = "för " + " och ".join(f"{name} ({code})" for code, name in sorted(parties))
    elif agreements:
        phrase = "för överenskommelse " + " och ".join(str(i) for i in sorted(agreements))
    else:
        phrase = f"i {row['s_name']}" if row["s_name"] else ""
    return Target(
        structures=frozenset(structures),
        agreements=frozenset(agreements),
        agreement_parties=frozenset(set.intersection(*member_lists)) if member_lists else frozenset(),
        parties=frozenset(code for code, _ in parties),
        phrase=phrase,
    )


_PARTY_STRUCTURES = """
SELECT p.code, s.slug FROM party p JOIN structure s ON s.id = p.structure WHERE p.code = ANY({}::varchar[])
"""


async def resolve_parties(agreement: Target, party_codes: list[str]) -> dict[str, Target]:
    """`resolve(agreement_id=..., party_code=code)` for many parties of one resolved agreement, in
    one query instead of one per party (a page asking which parties a user may act for)."""
    rows = await Structure.raw(_PARTY_STRUCTURES, party_codes)
    return {
        r["code"]: Target(
            structures=agreement.structures | {r["slug"]},
            agreements=agreement.agreements,
            agreement_parties=agreement.agreement_parties,
            parties=frozenset({r["code"]}),
            phrase="",
        )
        for r in rows
    }


_SCOPES = """
SELECT 'party' AS kind, p.code AS key, ARRAY_REMOVE(ARRAY[s.slug], NULL) AS structures,
       ARRAY[]::int[] AS agreements, ARRAY[]::varchar[] AS members, ARRAY[p.code] AS parties
FROM party p LEFT JOIN structure s ON s.id = p.structure WHERE p.code = ANY({}::varchar[])
UNION ALL
SELECT 'agreement', a.id::text, ARRAY_REMOVE(ARRAY[s.slug], NULL), ARRAY[a.id],
       ARRAY(SELECT pa.code FROM agreement_party ap JOIN party pa ON pa.id = ap.party
             WHERE ap.agreement = a.id), ARRAY[]::varchar[]
FROM agreement a LEFT JOIN structure s ON s.id = a.structure WHERE a.id = ANY({}::int[])
UNION ALL
SELECT 'structure', s.slug, ARRAY[s.slug], ARRAY[]::int[], ARRAY[]::varchar[], ARRAY[]::varchar[]
FROM structure s WHERE s.slug = ANY({}::varchar[])
"""


async def resolve_scopes(scopes: set[tuple[str, str]]) -> dict[tuple[str, str], Target]:
    """`resolve` for many feed scopes at once ("party", code), ("agreement", id), ("structure",
    slug), in one query (a list of feed tokens asking which the user may manage). A scope whose
    party, agreement or structure no longer exists is left out."""
    keys: dict[str, list[str]] = {"party": [], "agreement": [], "structure": []}
    for kind, key in scopes:
        if kind in keys:
            keys[kind].append(key)
    agreement_ids = [int(k) for k in keys["agreement"] if k.isdigit()]
    rows = await Structure.raw(_SCOPES, keys["party"], agreement_ids, keys["structure"])
    return {
        (r["kind"], r["key"]): Target(
            structures=frozenset(r["structures"]),
            agreements=frozenset(r["agreements"]),
            agreement_parties=frozenset(r["members"]),
            parties=frozenset(r["parties"]),
            phrase="",
        )
        for r in rows
    }
