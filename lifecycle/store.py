"""Loading agreements' stored facts as rule inputs, a batch at a time (a fixed number of queries
whatever the batch size), and writing back what the rules derive: deadlines and warnings."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from contextvars import ContextVar
from datetime import date

from core.clock import now
from core.errors import NotFound
from lifecycle.rules.agreement import AgreementInputs, Evaluation, StoredDecision, evaluate
from lifecycle.rules.appeal import Appeal
from lifecycle.rules.deadlines import STORED_ELSEWHERE, MonthDay
from lifecycle.rules.decisions import Decision as RuleDecision
from lifecycle.rules.entry import EntryRule
from lifecycle.rules.model import AgreementKind, AgreementStatus, AppealState, Outcome
from lifecycle.rules.process import TakenStep
from lifecycle.rules.term import FixedTerm, Notice, TermRule, UntilFurtherNotice
from lifecycle.tables import Agreement, StoredDeadline


def term_rule(row: dict) -> TermRule | None:
    if row["term_kind"] == "fixed":
        return FixedTerm(row["term_start"], row["term_end"], row["notice_months"], row["renewal_years"])
    if row["term_kind"] == "until_further_notice":
        return UntilFurtherNotice(row["term_start"], row["notice_months"], row["law_change_notice_months"])
    return None


def rule_decision(row: dict) -> RuleDecision:
    return RuleDecision(
        party_code=row["party_code"],
        body=row["body"],
        meeting_date=row["meeting_date"],
        outcome=Outcome(row["outcome"]),
        paragraph=row["paragraph"],
        case_number=row["case_number"],
        justering_date=row["justering_date"],
        anslag_date=row["anslag_date"],
        appeal=Appeal(AppealState(row["appeal_state"]), row["appeal_lodged_on"], row["appeal_resolved_on"]),
        sequence=row["id"],
    )


async def _rows(sql: str, ids: list[int]) -> list[dict]:
    return await Agreement.raw(sql, ids)


async def load_inputs(ids: Sequence[int]) -> dict[int, AgreementInputs]:
    """The rule inputs of the given agreements (and, for annexes, their parents)."""
    wanted = sorted(set(ids))
    agreements = await _rows(
        "SELECT a.*, s.slug AS structure_slug, "
        "ARRAY(SELECT f.key FROM follow_up_done f WHERE f.agreement = a.id) AS follow_ups_done "
        "FROM agreement a JOIN structure s ON s.id = a.structure WHERE a.id = ANY({})",
        wanted,
    )
    parent_ids = sorted({r["parent"] for r in agreements if r["parent"]} - set(wanted))
    parents = await load_inputs(parent_ids) if parent_ids else {}
    parties, steps, decisions, notices = (defaultdict(list) for _ in range(4))
    names: dict[int, dict[str, str]] = defaultdict(dict)
    for r in await _rows(
        "SELECT ap.agreement, p.code, p.name FROM agreement_party ap JOIN party p ON p.id = ap.party "
        "WHERE ap.agreement = ANY({}) ORDER BY p.code",
        wanted,
    ):
        parties[r["agreement"]].append(r["code"])
        names[r["agreement"]][r["code"]] = r["name"]
    for r in await _rows(
        "SELECT agreement, step, taken_on, reply_by, completed_on FROM process_step "
        "WHERE agreement = ANY({}) "
        "ORDER BY taken_on, id",
        wanted,
    ):
        steps[r["agreement"]].append(r)
    for r in await _rows(
        "SELECT d.*, p.code AS party_code FROM party_decision d JOIN party p ON p.id = d.party "
        "WHERE d.agreement = ANY({}) ORDER BY d.meeting_date, d.id",
        wanted,
    ):
        decisions[r["agreement"]].append(StoredDecision(r["id"], rule_decision(r)))
    for r in await _rows(
        "SELECT n.agreement, n.given_on, n.law_change, n.agreed_end, p.code "
        "FROM notice n JOIN party p ON p.id = n.party "
        "WHERE n.agreement = ANY({}) ORDER BY n.given_on",
        wanted,
    ):
        notices[r["agreement"]].append(Notice(r["code"], r["given_on"], r["law_change"], r["agreed_end"]))

    result: dict[int, AgreementInputs] = {}
    for row in sorted(agreements, key=lambda r: (r["parent"] is not None, r["id"])):
        taken = steps[row["id"]]
        follow_up = row["annual_follow_up"]
        parent_id = row["parent"]
        result[row["id"]] = AgreementInputs(
            id=row["id"],
            structure=row["structure_slug"],
            kind=AgreementKind(row["kind"]),
            status=AgreementStatus(row["status"]),
            parties=tuple(parties[row["id"]]),
            steps=tuple(TakenStep(s["step"], s["taken_on"]) for s in taken),
            # a remiss whose replies have been compiled (its round closed) has no reply deadline left
            reply_by=next(
                (
                    s["reply_by"] if s["completed_on"] is None else None
                    for s in reversed(taken)
                    if s["reply_by"]
                ),
                None,
            ),
            decisions=tuple(decisions[row["id"]]),
            notices=tuple(notices[row["id"]]),
            term=term_rule(row),
            entry_rule=EntryRule(row["entry_rule"]),
            entry_fixed_date=row["entry_fixed_date"],
            declared_in_force_from=row["declared_in_force_from"],
            law_refs=tuple(row["law_refs"] or ()),
            decision_due=row["decision_due"],
            annual_follow_up=MonthDay(*map(int, follow_up.split("-"))) if follow_up else None,
            follow_ups_done=frozenset(row["follow_ups_done"] or ()),
            parent=(result.get(parent_id) or parents.get(parent_id)) if parent_id else None,
            party_names=names[row["id"]],
        )
    return result


async def evaluate_one(agreement_id: int, today: date) -> tuple[AgreementInputs, Evaluation]:
    inputs = (await load_inputs([agreement_id])).get(agreement_id)
    if inputs is None:
        raise NotFound(f"Det finns ingen överenskommelse med id {agreement_id}.")
    return inputs, evaluate(inputs, today)


_deferred: ContextVar[set[int] | None] = ContextVar("samverkan_deferred_refresh", default=None)


@asynccontextmanager
async def deferred(today: date) -> AsyncIterator[None]:
    """Inside, `refresh` only notes its agreements; leaving, they are refreshed once, as of `today`.
    For a bulk load (the demo) that changes one agreement many times in one transaction: what the
    rules derive is stored once, not after every step and decision. Nothing is refreshed when the
    block fails (its transaction is rolled back anyway)."""
    pending: set[int] = set()
    token = _deferred.set(pending)
    try:
        yield
    finally:
        _deferred.reset(token)
    if pending:
        await refresh(sorted(pending), today)


async def refresh(agreement_ids: Sequence[int], today: date) -> None:
    """Store what the rules now derive for these agreements: deadlines (upserted by their key,
    so a moved one keeps its row and gets a higher `sequence`; the vanished ones cancelled) and
    validity warnings (opened; the resolved ones closed). Set-based: a fixed number of statements
    per batch. Call inside the transaction of the change. Inside `deferred()`, it only notes them."""
    pending = _deferred.get()
    if pending is not None:
        pending.update(agreement_ids)
        return
    inputs = await load_inputs(agreement_ids)
    deadline_cols: tuple[list, ...] = ([], [], [], [], [], [], [])
    warning_cols: tuple[list, ...] = ([], [], [], [], [])
    for agreement_id, agreement in inputs.items():
        evaluation = evaluate(agreement, today)
        for d in evaluation.deadlines:
            for col, value in zip(
                deadline_cols,
                (agreement_id, d.key, d.kind.value, d.due, d.party_code, d.title_sv, d.notice_months),
                strict=True,
            ):
                col.append(value)
        for w in evaluation.warnings:
            for col, value in zip(
                warning_cols, (agreement_id, w.key, w.kind.value, w.party_code, w.message_sv), strict=True
            ):
                col.append(value)
    ids = sorted(inputs)
    stamp = now()
    await StoredDeadline.raw(
        "INSERT INTO deadline (agreement, key, kind, due, party_code, title, notice_months, cancelled, "
        "sequence, updated_at) "
        "SELECT a, k, kd, du, pc, t, nm, false, 0, {} FROM unnest({}::int[], {}::text[], {}::text[], "
        "{}::date[], {}::text[], {}::text[], {}::int[]) AS x(a, k, kd, du, pc, t, nm) "
        "ON CONFLICT (agreement, key) DO UPDATE SET kind = excluded.kind, due = excluded.due, "
        "party_code = excluded.party_code, title = excluded.title, notice_months = excluded.notice_months, "
        "cancelled = false, sequence = deadline.sequence + 1, updated_at = excluded.updated_at "
        "WHERE (deadline.kind, deadline.due, deadline.party_code, deadline.title, deadline.notice_months, "
        "deadline.cancelled) IS DISTINCT FROM (excluded.kind, excluded.due, excluded.party_code, "
        "excluded.title, excluded.notice_months, false)",
        stamp,
        *deadline_cols,
    )
    await StoredDeadline.raw(
        "UPDATE deadline SET cancelled = true, sequence = sequence + 1, updated_at = {} "
        "WHERE agreement = ANY({}) AND NOT cancelled AND kind <> ALL({}::text[]) AND (agreement, key) NOT IN "
        "(SELECT * FROM unnest({}::int[], {}::text[]))",
        stamp,
        ids,
        [k.value for k in STORED_ELSEWHERE],
        deadline_cols[0],
        deadline_cols[1],
    )
    await StoredDeadline.raw(
        "INSERT INTO validity_warning (agreement, key, kind, party_code, message, opened_at, closed_at) "
        "SELECT a, k, kd, pc, m, {}, NULL FROM unnest({}::int[], {}::text[], {}::text[], {}::text[], "
        "{}::text[]) AS x(a, k, kd, pc, m) "
        "ON CONFLICT (agreement, key) DO UPDATE SET message = excluded.message, kind = excluded.kind, "
        "opened_at = CASE WHEN validity_warning.closed_at IS NULL THEN validity_warning.opened_at "
        "ELSE excluded.opened_at END, closed_at = NULL",
        stamp,
        *warning_cols,
    )
    await StoredDeadline.raw(
        "UPDATE validity_warning SET closed_at = {} WHERE agreement = ANY({}) AND closed_at IS NULL "
        "AND (agreement, key) NOT IN (SELECT * FROM unnest({}::int[], {}::text[]))",
        stamp,
        ids,
        warning_cols[0],
        warning_cols[1],
    )
