"""The shipped groups of parties: Västra Götaland's four kommunalförbund cover its 49 kommuner."""

from __future__ import annotations

from collections import Counter

from parties import reference


def test_every_vastra_gotaland_kommun_belongs_to_exactly_one_kommunalforbund():
    kommuner = {p.code for p in reference.parties() if p.county_code == "14" and p.kind == "kommun"}
    members = Counter(code for g in reference.groups() if g.kind == "kommunalforbund" for code in g.members)
    assert len(kommuner) == 49
    assert set(members) == kommuner
    assert set(members.values()) == {1}


def test_the_four_kommunalforbund_have_their_published_sizes_and_sources():
    sizes = {g.slug: len(g.members) for g in reference.groups()}
    # GR has 13 members, Kungsbacka (Hallands län) outside this structure
    assert sizes == {"gr": 12, "fyrbodal": 14, "skaraborg": 15, "sjuharad": 8}
    assert all(g.source and g.structure == "vastra-gotaland" for g in reference.groups())
    gr = next(g for g in reference.groups() if g.slug == "gr")
    assert "1401" in gr.members  # Härryda, seed 003
