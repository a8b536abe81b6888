"""Law references picked out of an agreement's text."""

from __future__ import annotations

from datetime import date

from documents.rules.laws import find_laws, law_labels
from lifecycle.rules.laws import replaced_laws


def test_a_short_name_with_its_number_is_one_law():
    laws = find_laws("Enligt SoL (2001:453) 2 kap. 7 § och HSL (2017:30) ska parterna ...")
    assert [law.label for law in laws] == ["SoL (2001:453)", "HSL (2017:30)"]


def test_a_short_name_alone_gets_a_number_only_when_there_was_one_law_of_that_name():
    assert [law.label for law in find_laws("Insatser enligt LSS och LPT, samt SoL.")] == [
        "LSS (1993:387)",
        "LPT (1991:1128)",
        "SoL",
    ]


def test_a_bare_short_name_is_dropped_when_the_text_also_gives_its_number():
    text = "Socialtjänstlagen, SoL (SFS 2001:453), gäller. Enligt SoL ska kommunen ..."
    assert [law.label for law in find_laws(text)] == ["SoL (2001:453)"]


def test_plain_sfs_numbers_are_found_and_agency_series_are_not():
    text = "Lag (2017:612) om samverkan; SOSFS 2008:18; prop. 2009/10:116; patientlagen (2014:821)."
    assert [law.label for law in find_laws(text)] == ["2017:612", "2014:821"]


def test_words_that_contain_a_short_name_are_not_it():
    assert find_laws("SOLEN, HSLF-FS 2016:40, LSSA") == []


def test_labels_over_several_texts_name_each_law_once():
    assert law_labels(["SoL (2001:453)", "socialtjänstlagen (2001:453) och LSS"]) == [
        "SoL (2001:453)",
        "LSS (1993:387)",
    ]


def test_the_replaced_law_rule_sees_a_law_found_in_text():
    labels = law_labels(["Kommunen ansvarar enligt SoL (2001:453) för ..."])
    assert [law.sfs for law in replaced_laws(labels, date(2025, 7, 1))] == ["2001:453"]
    assert replaced_laws(labels, date(2025, 6, 30)) == []
