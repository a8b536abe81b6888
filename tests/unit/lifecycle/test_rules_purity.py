"""`lifecycle.rules` stays pure by a check, not by memory (STYLE.md).

Pure means: the standard library, `holidays`, `core.errors` and `lifecycle.rules` itself; no web
framework, ORM, task queue or network client, and no clock: time-dependent rules take `today`.
"""

import ast
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import lifecycle.rules

FORBIDDEN = ("litestar", "piccolo", "celery", "asyncpg", "redis", "httpx")
RULES_DIR = Path(lifecycle.rules.__file__).parent
MODULES = sorted(f"lifecycle.rules.{m.name}" for m in pkgutil.iter_modules([str(RULES_DIR)]))
SOURCES = {name: RULES_DIR / f"{name.rsplit('.', 1)[1]}.py" for name in MODULES}
REPO_ROOT = RULES_DIR.parent.parent


def test_the_rules_modules_are_found():
    assert {"lifecycle.rules.appeal", "lifecycle.rules.days", "lifecycle.rules.process"} <= set(MODULES)


def test_importing_every_rules_module_loads_no_framework_and_no_clock():
    # a fresh interpreter: this test process may already hold litestar from other tests
    script = (
        "import importlib, sys\n"
        f"for name in {MODULES!r}: importlib.import_module(name)\n"
        "print(' '.join(sorted({m.split('.')[0] for m in sys.modules} | "
        "{m for m in sys.modules if m.startswith('core.')})))\n"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO_ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    assert [m for m in FORBIDDEN if m in loaded] == []
    assert [m for m in loaded if m.startswith("core.")] == ["core.errors"]


def _imports(tree: ast.AST) -> list[str]:
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names += [
                f"{node.module}.{alias.name}" if node.module == "core" else node.module
                for alias in node.names
            ]
    return names


def _allowed(name: str) -> bool:
    top = name.split(".")[0]
    if top == "core":
        return name == "core.errors"
    if top == "lifecycle":
        return name.startswith("lifecycle.rules.")
    return top in sys.stdlib_module_names or top == "holidays"


@pytest.mark.parametrize("module", MODULES)
def test_rules_import_only_the_standard_library_holidays_and_core_errors(module):
    tree = ast.parse(SOURCES[module].read_text("utf-8"))
    assert [name for name in _imports(tree) if not _allowed(name)] == []


def _clock_reads(tree: ast.AST) -> list[str]:
    reads = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in {"now", "today", "utcnow"}:
            owner = node.value
            owner_name = owner.id if isinstance(owner, ast.Name) else getattr(owner, "attr", "")
            if owner_name in {"datetime", "date", "clock"}:
                reads.append(f"{owner_name}.{node.attr} (line {node.lineno})")
    return reads


@pytest.mark.parametrize("module", MODULES)
def test_rules_never_read_the_clock(module):
    source = SOURCES[module].read_text("utf-8")
    assert _clock_reads(ast.parse(source)) == []
    assert "core.clock" not in [name for name in _imports(ast.parse(source))]


def test_the_clock_check_catches_a_clock_read():
    sneaky = "import datetime\nfrom datetime import date\nx = date.today()\ny = datetime.datetime.now()\n"
    assert _clock_reads(ast.parse(sneaky)) == ["date.today (line 3)", "datetime.now (line 4)"]


def test_the_import_check_catches_a_framework_and_the_clock():
    sneaky = "import litestar\nfrom core import clock\nfrom core.settings import get_settings\n"
    assert [n for n in _imports(ast.parse(sneaky)) if not _allowed(n)] == [
        "litestar",
        "core.clock",
        "core.settings",
    ]
