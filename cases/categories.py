"""The categories of samverkansbrister, a list per structure (data in cases/data/categories.toml)."""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "categories.toml"


@cache
def _lists() -> dict[str, tuple[str, ...]]:
    with DATA.open("rb") as f:
        return {slug: tuple(names) for slug, names in tomllib.load(f).items()}


def categories(structure_slug: str) -> tuple[str, ...]:
    lists = _lists()
    return lists.get(structure_slug, lists["default"])
