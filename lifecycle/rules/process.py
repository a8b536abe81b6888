"""Where an agreement stands in its joint process, and which step may come next.

Seed 004 (HÖK): every joint document is to be "utarbetas i en gemensam process", with
"skriftligt fastställda steg för arbetsgrupp, beredning och beslut" (measure 8). The process
itself is data (`lifecycle/templates/`, read by `templates`): this module only walks a
template. The history of a process is the list of steps taken, oldest first; a step may recur
(a second consultation round, back to revision), so the last one is the current step.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import NamedTuple

from core.errors import Conflict, InvalidInput, NotAllowed, NotFound
from lifecycle.rules.model import AgreementKind
from lifecycle.rules.templates import ProcessTemplate, Step, load_templates

# Swedish names of the kinds, as a clerk reads them in a sentence ("ingen processmall för ...").
_KIND_NAMES = {
    AgreementKind.AGREEMENT: "överenskommelser",
    AgreementKind.GUIDELINE: "riktlinjer",
    AgreementKind.TRANSITIONAL: "tillfälliga övergångsbestämmelser",
    AgreementKind.SUPPLEMENT: "tilläggsöverenskommelser",
    AgreementKind.ANNEX: "bilagor",
}


class TakenStep(NamedTuple):
    """One step of a process's history: which step, and the day it was taken."""

    key: str
    taken_on: date


def get_template(structure: str, kind: AgreementKind | str) -> ProcessTemplate:
    """The process of `kind` in `structure`; NotFound names what exists instead."""
    templates = load_templates()
    structures = sorted({s for s, _ in templates})
    if structure not in structures:
        raise NotFound(
            f"Samverkansstrukturen ”{structure}” finns inte. Kända strukturer: {', '.join(structures)}.",
            field="structure",
        )
    if kind not in _KIND_NAMES:
        raise NotFound(f"Dokumenttypen ”{kind}” finns inte.", field="kind")
    template = templates.get((structure, AgreementKind(kind)))
    if template is None:
        name = next(t.structure_name for (s, _), t in templates.items() if s == structure)
        raise NotFound(
            f"Det finns ingen processmall för {_KIND_NAMES[AgreementKind(kind)]} i {name}.", field="kind"
        )
    return template


def current_step(template: ProcessTemplate, taken: Sequence[str]) -> Step | None:
    """The last step taken; None before the process has started."""
    if not taken:
        return None
    step = template.step(taken[-1])
    if step is None:  # the template changed under a running process
        raise Conflict(
            f"Processens nuvarande steg ”{taken[-1]}” finns inte längre i processmallen för "
            f"{_KIND_NAMES[template.kind]} i {template.structure_name}."
        )
    return step


def allowed_next(template: ProcessTemplate, taken: Sequence[str]) -> list[str]:
    """The steps that may follow: the first step at the start, none after a terminal step.

    The withdrawal step (if the template has one) may follow any step that is not terminal.
    """
    current = current_step(template, taken)
    if current is None:
        return [template.steps[0].key]
    allowed = list(current.next)
    if not current.terminal and template.withdrawal and template.withdrawal not in allowed:
        allowed.append(template.withdrawal)
    return allowed


def check_step(template: ProcessTemplate, taken: Sequence[str], proposed: str) -> None:
    """Refuse a step the template does not allow now, naming the current and the allowed steps."""
    step = template.step(proposed)
    if step is None:
        raise InvalidInput(
            f"Steget ”{proposed}” finns inte i processen för {_KIND_NAMES[template.kind]} "
            f"i {template.structure_name}.",
            field="step",
        )
    allowed = allowed_next(template, taken)
    if proposed in allowed:
        return
    current = current_step(template, taken)
    if current is None:
        reason = f"Processen har inte börjat; första steget är ”{template.steps[0].label}”."
    elif current.terminal:
        reason = f"Processen är avslutad (”{current.label}”); inga fler steg kan tas."
    else:
        labels = ", ".join(f"”{_label(template, key)}”" for key in allowed)
        reason = f"Nuvarande steg är ”{current.label}”. Tillåtna nästa steg: {labels}."
    raise NotAllowed(f"Steget ”{step.label}” kan inte tas nu. {reason}", field="step")


def check_step_date(
    template: ProcessTemplate, taken: Sequence[TakenStep], taken_on: date, *, today: date
) -> None:
    """Refuse a step dated in the future or before the step it follows: the history runs forward."""
    if taken_on > today:
        raise InvalidInput(
            f"Stegets datum kan inte vara senare än i dag ({taken_on} > {today}).", field="taken_on"
        )
    if taken and taken_on < taken[-1].taken_on:
        previous = taken[-1]
        raise InvalidInput(
            f"Stegets datum kan inte vara före föregående steg ”{_label(template, previous.key)}” "
            f"({taken_on} < {previous.taken_on}).",
            field="taken_on",
        )


def take_step(
    template: ProcessTemplate, taken: Sequence[TakenStep], proposed: str, taken_on: date, *, today: date
) -> TakenStep:
    """Check a new step and its date against the history; the step to append when both pass."""
    check_step(template, [t.key for t in taken], proposed)
    check_step_date(template, taken, taken_on, today=today)
    return TakenStep(proposed, taken_on)


def recommended_on(
    template: ProcessTemplate, taken: Sequence[TakenStep], party_kind: str | None = None
) -> date | None:
    """The day the agreement was first recommended to the parties (to parties of `party_kind`,
    "kommun" or "region", when the template opens theirs at a step of its own); None if not yet.

    Seed 004: the VIS political steering group recommends "kommunerna respektive regionen", so
    Region Stockholm may decide from that; Storsthlm's board then recommends the kommuner. The
    first recommendation counts: decisions taken on it stay valid when the process goes back to
    revision and is recommended again. None also when the parties do not decide.
    """
    step = dict(template.recommendation_for).get(party_kind or "", template.recommendation)
    if step is None:
        return None
    return next((t.taken_on for t in taken if t.key == step), None)


def require_party_decisions(template: ProcessTemplate) -> None:
    """Refuse party decisions on a document that a joint body decides alone (seed 004)."""
    if not template.parties_decide:
        raise NotAllowed(
            f"Parterna fattar inga egna beslut om {_KIND_NAMES[template.kind]} i "
            f"{template.structure_name}: de beslutas av {template.decided_by}."
        )


def _label(template: ProcessTemplate, key: str) -> str:
    step = template.step(key)
    return step.label if step else key
