"""Comparing two versions' text: paragraphs, and words inside a changed paragraph."""

from __future__ import annotations

from documents.rules.diff import Change, Words, compare, paragraphs, word_changes

OLD = """1 Parter
Mellan Region Västmanland och respektive kommun.

2 Uppsägning
Överenskommelsen gäller tills vidare med sex månaders uppsägningstid.

3 Lagrum
Socialtjänstlagen (2001:453) gäller.
"""


def test_paragraphs_are_split_at_blank_lines_with_whitespace_folded():
    assert paragraphs("a  b\nc\n\n \n\nd\t e") == ["a b c", "d e"]


def test_identical_texts_have_only_kept_paragraphs():
    result = compare(OLD, OLD)
    assert [p.change for p in result.paragraphs] == [Change.SAME] * 3


def test_a_changed_paragraph_shows_the_words_that_changed():
    new = OLD.replace("sex månaders", "tre månaders").replace("(2001:453)", "(2025:400)")
    result = compare(OLD, new)
    assert [p.change for p in result.paragraphs] == [Change.SAME, Change.CHANGED, Change.CHANGED]
    assert result.paragraphs[1].words == [
        Words(Change.SAME, "2 Uppsägning Överenskommelsen gäller tills vidare med "),
        Words(Change.REMOVED, "sex "),
        Words(Change.ADDED, "tre "),
        Words(Change.SAME, "månaders uppsägningstid."),
    ]
    assert result.counts == {"same": 1, "added": 0, "removed": 0, "changed": 2}


def test_a_new_paragraph_is_added_and_a_dropped_one_removed():
    new = OLD.replace("3 Lagrum\nSocialtjänstlagen (2001:453) gäller.\n", "4 Tvister\nLöses av Chefsforum.\n")
    result = compare(OLD, new)
    assert [(p.change, p.old, p.new) for p in result.paragraphs[2:]] == [
        (Change.REMOVED, "3 Lagrum Socialtjänstlagen (2001:453) gäller.", None),
        (Change.ADDED, None, "4 Tvister Löses av Chefsforum."),
    ]


def test_a_paragraph_inserted_before_a_changed_one_keeps_the_pairing():
    new = OLD.replace("2 Uppsägning", "1 b Syfte\nGod vård.\n\n2 Uppsägning").replace("sex", "tre")
    changes = [p.change for p in compare(OLD, new).paragraphs]
    assert changes == [Change.SAME, Change.ADDED, Change.CHANGED, Change.SAME]


def test_of_two_equally_similar_old_paragraphs_the_first_is_paired_so_the_second_still_can_be():
    old = "alpha beta gamma delta\n\nalpha beta gamma delta"
    new = "alpha beta gamma epsilon\n\nalpha beta gamma zeta"
    assert [p.change for p in compare(old, new).paragraphs] == [Change.CHANGED, Change.CHANGED]


def test_a_comparison_of_nothing_counts_every_kind_as_zero():
    assert compare("", "").counts == {"same": 0, "added": 0, "removed": 0, "changed": 0}


def test_word_changes_keep_every_word_of_both_texts():
    runs = word_changes("a b c d", "a x c d e")
    assert "".join(r.text for r in runs if r.change != Change.ADDED).split() == ["a", "b", "c", "d"]
    assert "".join(r.text for r in runs if r.change != Change.REMOVED).split() == ["a", "x", "c", "d", "e"]
