"""Process templates: their shape, and reading and checking the files in `lifecycle/templates/`.

"A process is data (a template per structure and kind), not code: structures differ and will
change." (DOMAIN.md). Each `<structure>.toml` names, per kind of document, its steps in order
with the body acting at each, the allowed next steps (a second consultation round and a way back
to revision are ordinary transitions), the step that withdraws the work from any step not yet
terminal, and either the recommendation that opens the parties' decisions or the step where a
joint body decides alone (riktlinje, övergångsbestämmelser: seed 004). A broken file fails when
the templates are loaded, not when a clerk reaches the broken step. The rules over a template
are in `process`.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import Any

from lifecycle.rules.model import AgreementKind


class TemplateError(ValueError):
    """A template file that cannot be used; raised when the templates are loaded."""


@dataclass(frozen=True, slots=True)
class Step:
    key: str
    label: str  # Swedish, as the users say it
    body: str | None = None  # the body that acts or decides at this step, in Swedish
    next: tuple[str, ...] = ()
    terminal: bool = False


@dataclass(frozen=True, slots=True)
class ProcessTemplate:
    """The process of one kind of document in one samverkansstruktur."""

    structure: str  # slug: the template file's name
    structure_name: str  # "Stockholms län (VIS)"
    kind: AgreementKind
    steps: tuple[Step, ...]  # the first one starts the process
    parties_decide: bool
    recommendation: str | None = None  # when the parties decide: the step that opens their decisions
    # a step that opens the decisions of one kind of party earlier ("region"/"kommun" → step key):
    # seed 004's VIS political steering group recommends "kommunerna respektive regionen"
    recommendation_for: tuple[tuple[str, str], ...] = ()
    decision_step: str | None = None  # when they do not: the step where the joint body decides
    withdrawal: str | None = None  # may follow every step that is not terminal

    def step(self, key: str) -> Step | None:
        return next((s for s in self.steps if s.key == key), None)

    @property
    def decided_by(self) -> str | None:
        """The joint body that decides alone, when the parties do not decide."""
        step = self.step(self.decision_step) if self.decision_step else None
        return step.body if step else None


_SLUG = re.compile(r"[a-z][a-z0-9-]*")
_KINDS = {kind.value: kind for kind in AgreementKind}
_KIND_KEYS = {
    "parties_decide",
    "recommendation",
    "recommendation_for",
    "decision_step",
    "withdrawal",
    "steps",
}
PARTY_KINDS = ("kommun", "region")
_STEP_KEYS = {"key", "label", "body", "next", "terminal"}
# DOMAIN.md glossary: a supplement or annex is tied to a parent agreement and goes the same way.
_LIKE_AGREEMENT = (AgreementKind.SUPPLEMENT, AgreementKind.ANNEX)


def parse_templates(structure: str, text: str) -> dict[tuple[str, AgreementKind], ProcessTemplate]:
    """Read one structure's template file and check it, so a broken file fails at load."""
    if not _SLUG.fullmatch(structure):
        raise TemplateError(f"{structure!r}: a structure slug is lower-case letters, digits and '-'")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise TemplateError(f"{structure}.toml: {exc}") from exc
    name = data.pop("name", None)
    if not isinstance(name, str) or not name:
        raise TemplateError(f"{structure}.toml: 'name' (the structure's Swedish name) is required")
    templates = {}
    for kind_value, table in data.items():
        kind = _KINDS.get(kind_value)
        if kind is None or not isinstance(table, dict):
            raise TemplateError(f"{structure}.toml: [{kind_value}] is not a kind of agreement")
        templates[structure, kind] = _parse_kind(f"{structure}.toml [{kind}]", structure, name, kind, table)
    agreement = templates.get((structure, AgreementKind.AGREEMENT))
    if agreement is None:
        raise TemplateError(f"{structure}.toml: [{AgreementKind.AGREEMENT}] is required")
    for kind in _LIKE_AGREEMENT:
        templates.setdefault((structure, kind), replace(agreement, kind=kind))
    return templates


def _parse_kind(
    where: str, structure: str, name: str, kind: AgreementKind, table: dict[str, Any]
) -> ProcessTemplate:
    _no_unknown_keys(where, table, _KIND_KEYS)
    steps = tuple(_parse_step(where, raw) for raw in table.get("steps", []))
    keys = [s.key for s in steps]
    if not steps or len(set(keys)) != len(keys):
        raise TemplateError(f"{where}: needs steps, each with a key of its own")
    parties_decide = table.get("parties_decide")
    if not isinstance(parties_decide, bool):
        raise TemplateError(f"{where}: 'parties_decide' must be true or false")
    template = ProcessTemplate(
        structure=structure,
        structure_name=name,
        kind=kind,
        steps=steps,
        parties_decide=parties_decide,
        recommendation=table.get("recommendation"),
        recommendation_for=_parse_recommendation_for(where, table.get("recommendation_for", {})),
        decision_step=table.get("decision_step"),
        withdrawal=table.get("withdrawal"),
    )
    _check_shape(where, template)
    return template


def _parse_recommendation_for(where: str, raw: Any) -> tuple[tuple[str, str], ...]:
    if not isinstance(raw, dict) or not all(isinstance(v, str) for v in raw.values()):
        raise TemplateError(f"{where}: 'recommendation_for' maps a party kind to a step key")
    unknown = sorted(set(raw) - set(PARTY_KINDS))
    if unknown:
        raise TemplateError(f"{where}: 'recommendation_for' names unknown party kind(s) {unknown}")
    return tuple(sorted(raw.items()))


def _parse_step(where: str, raw: Any) -> Step:
    if not isinstance(raw, dict):
        raise TemplateError(f"{where}: each step is a table")
    key, label, body, nexts = raw.get("key"), raw.get("label"), raw.get("body"), raw.get("next", [])
    _no_unknown_keys(f"{where}: step {key!r}", raw, _STEP_KEYS)
    if not isinstance(key, str) or not isinstance(label, str) or not key or not label:
        raise TemplateError(f"{where}: each step needs a 'key' and a 'label'")
    if body is not None and not isinstance(body, str):
        raise TemplateError(f"{where}: step {key!r}: 'body' must be text")
    if not isinstance(nexts, list) or not all(isinstance(n, str) for n in nexts):
        raise TemplateError(f"{where}: step {key!r}: 'next' must be a list of step keys")
    terminal = raw.get("terminal", False)
    if not isinstance(terminal, bool):
        raise TemplateError(f"{where}: step {key!r}: 'terminal' must be true or false")
    return Step(key, label, body, tuple(nexts), terminal)


def _check_shape(where: str, template: ProcessTemplate) -> None:
    keys = {s.key for s in template.steps}
    for step in template.steps:
        unknown = [n for n in step.next if n not in keys]
        if unknown:
            raise TemplateError(f"{where}: step {step.key!r} leads to unknown step(s) {unknown}")
        if step.terminal == bool(step.next):
            raise TemplateError(f"{where}: step {step.key!r} must be terminal or have next steps, not both")
    named = {
        "recommendation": (template.recommendation, template.parties_decide),
        "decision_step": (template.decision_step, not template.parties_decide),
    }
    for field, (value, wanted) in named.items():
        if wanted and value not in keys:
            raise TemplateError(f"{where}: {field!r} must name one of its steps")
        if not wanted and value is not None:
            raise TemplateError(f"{where}: {field!r} does not fit parties_decide = {template.parties_decide}")
    for party_kind, key in template.recommendation_for:
        if not template.parties_decide or key not in keys:
            raise TemplateError(f"{where}: 'recommendation_for.{party_kind}' must name one of its steps")
    withdrawal = template.step(template.withdrawal) if template.withdrawal else None
    if template.withdrawal is not None and (withdrawal is None or not withdrawal.terminal):
        raise TemplateError(f"{where}: 'withdrawal' must name a terminal step")
    _check_reachable(where, template)


def _check_reachable(where: str, template: ProcessTemplate) -> None:
    seen, todo = set(), [template.steps[0].key]
    while todo:
        key = todo.pop()
        if key not in seen:
            seen.add(key)
            step = template.step(key)
            todo.extend(step.next if step else ())
            if step and not step.terminal and template.withdrawal:
                todo.append(template.withdrawal)
    unreachable = [s.key for s in template.steps if s.key not in seen]
    if unreachable:
        raise TemplateError(f"{where}: step(s) {unreachable} cannot be reached from the first step")


def _no_unknown_keys(where: str, table: Mapping[str, Any], known: set[str]) -> None:
    unknown = sorted(set(table) - known)
    if unknown:
        raise TemplateError(f"{where}: unknown key(s) {unknown}")


@cache
def _all_templates() -> Mapping[tuple[str, AgreementKind], ProcessTemplate]:
    templates: dict[tuple[str, AgreementKind], ProcessTemplate] = {}
    for entry in sorted(resources.files("lifecycle.templates").iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml"):
            templates.update(parse_templates(entry.name.removesuffix(".toml"), entry.read_text("utf-8")))
    return MappingProxyType(templates)


def load_templates() -> dict[tuple[str, AgreementKind], ProcessTemplate]:
    """Every (structure, kind) template in `lifecycle/templates/`, read and checked once."""
    return dict(_all_templates())
