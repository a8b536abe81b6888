"""What a revision changed: two versions' text compared paragraph by paragraph, and word by word
inside a paragraph that changed (DOMAIN.md rule 7: a revised agreement is a new version).

A paragraph is text between blank lines, its whitespace folded (extracted PDF text breaks lines
at the page's width, which says nothing about the text). Paragraphs are aligned with difflib's
SequenceMatcher; in a replaced stretch, a new paragraph is paired with an old one when they share
at least `SAME_PARAGRAPH` of their words (difflib's ratio) — then it is shown as changed, with its
words marked — else the old ones are removed and the new ones added.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

SAME_PARAGRAPH = 0.5
_BLANK_LINE = re.compile(r"\n[ \t\f\r]*\n")
_WORD = re.compile(r"\S+\s*")


class Change(enum.StrEnum):
    SAME = "same"
    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"


@dataclass(frozen=True, slots=True)
class Words:
    """A run of words in a changed paragraph: kept, removed (old only) or added (new only)."""

    change: Change
    text: str


@dataclass(frozen=True, slots=True)
class ParagraphChange:
    change: Change
    old: str | None
    new: str | None
    words: list[Words] = field(default_factory=list)  # only for CHANGED


@dataclass(frozen=True, slots=True)
class Comparison:
    paragraphs: list[ParagraphChange]

    @property
    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(Change, 0)
        for p in self.paragraphs:
            counts[p.change] += 1
        return {k.value: v for k, v in counts.items()}


def paragraphs(text: str) -> list[str]:
    """The text's paragraphs, whitespace folded, empty ones left out."""
    return [" ".join(part.split()) for part in _BLANK_LINE.split(text) if part.strip()]


def word_changes(old: str, new: str) -> list[Words]:
    """The words of `old` and `new` as kept, removed and added runs (in reading order)."""
    a, b = _WORD.findall(old), _WORD.findall(new)
    runs: list[Words] = []
    matcher = SequenceMatcher(a=[w.strip() for w in a], b=[w.strip() for w in b], autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            runs.append(Words(Change.SAME, "".join(b[j1:j2])))
            continue
        if i2 > i1:
            runs.append(Words(Change.REMOVED, "".join(a[i1:i2])))
        if j2 > j1:
            runs.append(Words(Change.ADDED, "".join(b[j1:j2])))
    return runs


def _similarity(old: str, new: str) -> float:
    return SequenceMatcher(a=old.split(), b=new.split(), autojunk=False).ratio()


def _replaced(old: list[str], new: list[str]) -> list[ParagraphChange]:
    """A replaced stretch: pair each new paragraph with the most similar old one still unpaired
    after the previous pair (order kept), if similar enough; of equally similar ones the first,
    so a later new paragraph can still pair with the next. Unpaired old paragraphs are shown
    removed before the unpaired new ones that took their place."""
    result: list[ParagraphChange] = []
    added: list[ParagraphChange] = []
    i = 0
    for paragraph in new:
        best, best_ratio = None, 0.0
        for k in range(i, len(old)):
            ratio = _similarity(old[k], paragraph)
            if ratio >= SAME_PARAGRAPH and ratio > best_ratio:
                best, best_ratio = k, ratio
        if best is None:
            added.append(ParagraphChange(Change.ADDED, None, paragraph))
            continue
        result.extend(ParagraphChange(Change.REMOVED, o, None) for o in old[i:best])
        result.extend(added)
        added = []
        result.append(
            ParagraphChange(Change.CHANGED, old[best], paragraph, word_changes(old[best], paragraph))
        )
        i = best + 1
    result.extend(ParagraphChange(Change.REMOVED, o, None) for o in old[i:])
    return result + added


def compare(old_text: str, new_text: str) -> Comparison:
    """The paragraphs of the new version against the old one's."""
    old, new = paragraphs(old_text), paragraphs(new_text)
    result: list[ParagraphChange] = []
    matcher = SequenceMatcher(a=old, b=new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            result.extend(ParagraphChange(Change.SAME, p, p) for p in old[i1:i2])
        elif op == "delete":
            result.extend(ParagraphChange(Change.REMOVED, p, None) for p in old[i1:i2])
        elif op == "insert":
            result.extend(ParagraphChange(Change.ADDED, None, p) for p in new[j1:j2])
        else:
            result.extend(_replaced(old[i1:i2], new[j1:j2]))
    return Comparison(result)
