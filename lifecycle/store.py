"""Loading agreements' stored facts as rule inputs, a batch at a time (a fixed number of queries
whatever the batch size), and writing back what the rules derive: deadlines, warnings and the
adoption matrix's rows."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace
from datetime import date

from audit.tables import AuditEvent
from core.clock import now
from core.errors import NotFound
from lifecycle.rules.agreement import AgreementInputs, Evaluation, StoredDecision, evaluate
from lifecycle.rules.appeal import Appeal
from lifecycle.rules.deadlines import STORED_ELSEWHERE, MonthDay, decision_due_on
from lifecycle.rules.decisions import Decision as RuleDecision
from lifecycle.rules.decisions import adoption_settled
from lifecycle.rules.entry import EntryRule
from lifecycle.rules.groups import GroupRecommendation
from lifecycle.rules.model import AdoptionStatus, AgreementKind, AgreementStatus, AppealState, Outcome
from lifecycle.rules.process import TakenStep
from lifecycle.rules.replacement import stored_status
from lifecycle.rules.term import FixedTerm, Notice, TermRule, UntilFurtherNotice
from lifecycle.tables import Agreement, Decision, PreparatoryDecision, ProcessStep, StoredDeadline
from lifecycle.tables import Notice as StoredNotice


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


# The columns of each child row, in the order its record holds them: the tables' own columns,
# so a column added to a table is loaded without touching this module.
_STEP_COLUMNS = tuple(c._meta.db_column_name for c in ProcessStep._meta.columns)
_DECISION_OWN = tuple(c._meta.db_column_name for c in Decision._meta.columns)
_DECISION_COLUMNS = (*_DECISION_OWN, "party_code", "party_name", "covers")
_NOTICE_COLUMNS = (*(c._meta.db_column_name for c in StoredNotice._meta.columns), "code", "name")
_PROPOSAL_COLUMNS = (
    *(c._meta.db_column_name for c in PreparatoryDecision._meta.columns),
    "party_code",
    "party_name",
)


def _columns(alias: str, names: Sequence[str]) -> str:
    return ", ".join(f'{alias}."{n}"' for n in names)


# The structure's groups of parties with their members, and the groups' recommendations of the
# agreement (lifecycle.rules.groups), as JSON.
_GROUPS = (
    "(SELECT coalesce(json_agg(json_build_object('slug', g.slug, 'short_name', g.short_name, "
    "'name', g.name, 'kind', g.kind, 'members', (SELECT coalesce(json_agg(gp.code ORDER BY gp.code), '[]') "
    "FROM party_group_member m JOIN party gp ON gp.id = m.party WHERE m.party_group = g.id)) "
    "ORDER BY g.slug), '[]') FROM party_group g WHERE g.structure = a.structure) AS groups_json, "
    "(SELECT coalesce(json_agg(json_build_object('id', r.id, 'group', g.slug, 'body', r.body, "
    "'taken_on', r.taken_on, 'paragraph', r.paragraph, 'case_number', r.case_number, 'note', r.note) "
    "ORDER BY r.taken_on, r.id), '[]') FROM group_recommendation r JOIN party_group g "
    "ON g.id = r.party_group WHERE r.agreement = a.id) AS group_recommendations_json"
)

# What a decision `d` covers besides the agreement it is logged on (lifecycle.rules.packages), as
# JSON: [{"id", "reference", "title"}], by id.
COVERS_JSON = (
    "(SELECT coalesce(json_agg(json_build_object('id', x.id, 'reference', x.reference, 'title', x.title) "
    "ORDER BY x.id), '[]') FROM decision_cover c JOIN agreement x ON x.id = c.agreement "
    "WHERE c.decision = d.id)"
)


def applies_to(agreement: str) -> str:
    """SQL: decision `d` is the agreement's (SQL expression `agreement`), logged on it or covering it."""
    # two index lookups, not an OR (which scans every decision of the register per agreement)
    return (
        f"d.id IN (SELECT o.id FROM party_decision o WHERE o.agreement = {agreement} "
        f"UNION ALL SELECT c.decision FROM decision_cover c WHERE c.agreement = {agreement})"
    )


def decision_records(where: str, order: str = "d.meeting_date, d.id") -> str:
    """SQL: an array of the decisions `d` (joined to their party `p`) matching `where`, each a record
    `decision_of_record` reads, by meeting and id unless `order` says otherwise."""
    return (
        f"ARRAY(SELECT ROW({_columns('d', _DECISION_OWN)}, p.code, p.name, {COVERS_JSON}) "
        f"FROM party_decision d JOIN party p ON p.id = d.party WHERE {where} ORDER BY {order})"
    )


def decision_of_record(record: tuple) -> dict:
    """A decision's row (with party_code, party_name and covers) from a record of `decision_records`."""
    return decision_row(dict(zip(_DECISION_COLUMNS, record, strict=True)))


# One statement: the agreements asked for, the versions before and after them (when asked), and
# every parent up the chain (an annex's term and validity follow its parent's), each row with its
# parties, steps, decisions and notices as arrays of records (asyncpg decodes them as tuples).
# Each recursive step looks its next agreement up by index (the LATERAL ... OFFSET 0 keeps the
# planner from joining the whole register by hash: it guesses ten times more rows at each level,
# 200,000 for the parents of one agreement, and scanned all 2,000 agreements four times at
# national scale, 2 ms of a 4 ms load).
_AGREEMENTS = (
    "WITH RECURSIVE asked AS (SELECT unnest({}::int[]) AS id "
    "UNION SELECT r.id FROM agreement r WHERE {} AND r.replaced_by = ANY({}::int[])), "
    "back AS (SELECT a.id, a.supersedes FROM agreement a JOIN asked ON asked.id = a.id "
    "UNION SELECT x.id, x.supersedes FROM back b, LATERAL (SELECT a.id, a.supersedes FROM agreement a "
    "WHERE a.id = b.supersedes AND {} OFFSET 0) x), "
    "fwd AS (SELECT a.id FROM agreement a JOIN asked ON asked.id = a.id "
    "UNION SELECT x.id FROM fwd f, LATERAL (SELECT a.id FROM agreement a WHERE a.supersedes = f.id AND {} "
    "OFFSET 0) x), "
    "chain AS (SELECT id FROM back UNION SELECT id FROM fwd), "
    "rep AS (SELECT a.id, a.replaced_by, a.parent FROM agreement a JOIN chain c ON c.id = a.id "
    "UNION SELECT x.id, x.replaced_by, x.parent FROM rep r, LATERAL (SELECT a.id, a.replaced_by, a.parent "
    "FROM agreement a WHERE a.id = r.replaced_by OFFSET 0) x), "
    "up AS (SELECT id, parent FROM rep UNION SELECT x.id, x.parent FROM up u, "
    "LATERAL (SELECT a.id, a.parent FROM agreement a WHERE a.id = u.parent OFFSET 0) x) "
    "SELECT a.*, s.slug AS structure_slug, s.name AS structure_name, "
    "ARRAY(SELECT ROW(p.code, p.name, p.kind) FROM agreement_party ap JOIN party p ON p.id = ap.party "
    "WHERE ap.agreement = a.id ORDER BY p.code) AS party_records, "
    f"ARRAY(SELECT ROW({_columns('st', _STEP_COLUMNS)}) FROM process_step st WHERE st.agreement = a.id "
    "ORDER BY st.taken_on, st.id) AS step_records, "
    f"{decision_records(applies_to('a.id'))} AS decision_records, "
    f"ARRAY(SELECT ROW({_columns('n', _NOTICE_COLUMNS[:-2])}, p.code, p.name) FROM notice n "
    "JOIN party p ON p.id = n.party WHERE n.agreement = a.id ORDER BY n.given_on, n.id) AS notice_records, "
    f"ARRAY(SELECT ROW({_columns('pd', _PROPOSAL_COLUMNS[:-2])}, p.code, p.name) "
    "FROM preparatory_decision pd JOIN party p ON p.id = pd.party WHERE pd.agreement = a.id "
    "ORDER BY pd.meeting_date, pd.id) "
    "AS proposal_records, "
    "ARRAY(SELECT f.key FROM follow_up_done f WHERE f.agreement = a.id) AS follow_ups_done, "
    f"{_GROUPS}"
    "{} FROM agreement a JOIN structure s ON s.id = a.structure WHERE a.id = ANY(ARRAY(SELECT id FROM up))"
)
# What only the agreement's own page and answer show: its stewards and its annexes.
_DETAIL = (
    ", (SELECT coalesce(json_agg(json_build_object('name', w.name, 'email', w.email, "
    "'organisation', w.organisation) ORDER BY w.id), '[]') FROM steward w WHERE w.agreement = a.id) "
    "AS stewards_json, (SELECT coalesce(json_agg(json_build_object('id', x.id, 'reference', x.reference, "
    "'title', x.title, 'kind', x.kind, 'structure', xs.slug, 'status', x.status, 'version', x.version, "
    "'parent_id', x.parent, 'updated_at', x.updated_at, 'party_count', "
    "(SELECT count(*) FROM agreement_party xp WHERE xp.agreement = x.id)) ORDER BY x.id), '[]') "
    "FROM agreement x JOIN structure xs ON xs.id = x.structure WHERE x.parent = a.id) AS annexes_json, "
    "(SELECT coalesce(json_agg(json_build_object('id', r.id, 'reference', r.reference, 'title', r.title) "
    "ORDER BY r.id), '[]') FROM agreement r WHERE r.replaced_by = a.id) AS replaces_json, "
    "(SELECT json_build_object('id', r.id, 'reference', r.reference, 'title', r.title) FROM agreement r "
    "WHERE r.id = a.replaced_by) AS replaced_by_json"
)


def decision_row(row: dict) -> dict:
    """A decision's row with its `covers` (COVERS_JSON) decoded: asyncpg leaves json as text."""
    if isinstance(row["covers"], str):
        row["covers"] = json.loads(row["covers"])
    return row


def _step(record: tuple) -> dict:
    step = dict(zip(_STEP_COLUMNS, record, strict=True))
    if isinstance(step["links"], str):
        step["links"] = json.loads(step["links"])
    return step


@dataclass(frozen=True, slots=True)
class Loaded:
    """One agreement as stored (`row` and its children's rows) and as the rules see it."""

    row: dict
    inputs: AgreementInputs
    evaluation: Evaluation
    parties: dict[str, dict]  # by code, in code order: code, name, kind
    steps: list[dict]  # the timeline, in the order taken
    decisions: list[dict]  # its own and those covering it, with party_code, party_name, covers
    notices: list[dict]  # with the party's code and name, by the date given
    proposals: list[dict]  # preparatory decisions, with party_code and party_name, by meeting date
    groups: list[dict]  # the structure's groups of parties: slug, short_name, name, kind, members
    group_recommendations: list[dict]  # the groups' recommendations of it, by date


ADOPTED = (AdoptionStatus.ADOPTED, AdoptionStatus.ADOPTED_WITH_RESERVATION)


@dataclass(frozen=True, slots=True)
class AdoptionRow:
    """An agreement's row of the adoption matrix: what the matrix stores and shows of it."""

    parties_decide: bool
    recommended_on: date | None
    decision_due: date | None
    adopted: int
    pending: int  # neither adopted nor rejected
    total: int
    cells: dict[str, tuple[str, date | None, date | None]]  # code: (status, decided on, final on)
    settled: bool = False  # the same on every later day (rules.decisions.adoption_settled)


def adoption_row(loaded: Loaded, as_of: date | None = None) -> AdoptionRow:
    """The agreement's matrix row; `as_of`, the day it was evaluated as of, to know whether the
    row is `settled` (else it is not said to be)."""
    evaluation = loaded.evaluation
    cells = {code: (a.status.value, a.decided_on, a.final_on) for code, a in evaluation.adoptions.items()}
    adopted = sum(evaluation.counts[s] for s in ADOPTED)
    return AdoptionRow(
        parties_decide=evaluation.template.parties_decide,
        recommended_on=evaluation.recommended_on,
        decision_due=decision_due_on(loaded.row["decision_due"], evaluation.recommended_on),
        adopted=adopted,
        pending=len(cells) - adopted - evaluation.counts[AdoptionStatus.REJECTED],
        total=len(cells),
        cells=cells,
        settled=as_of is not None and adoption_settled((s.decision for s in loaded.inputs.decisions), as_of),
    )


@dataclass(frozen=True, slots=True)
class Evaluated:
    """Agreements loaded once and evaluated once as of `as_of`: what every read model is made of.
    Holds the agreements asked for and, loaded with them, their parents (and versions, if asked)."""

    as_of: date
    asked: tuple[int, ...]
    agreements: dict[int, Loaded]

    def __getitem__(self, agreement_id: int) -> Loaded:
        found = self.agreements.get(agreement_id)
        if found is None:
            raise NotFound(f"Det finns ingen överenskommelse med id {agreement_id}.")
        return found

    def versions(self, agreement_id: int) -> list[Loaded]:
        """The version chain the agreement belongs to (loaded with `versions=True`), oldest first."""
        first = self[agreement_id]
        while first.row["supersedes"] in self.agreements:
            first = self.agreements[first.row["supersedes"]]
        successors = {a.row["supersedes"]: a for a in self.agreements.values() if a.row["supersedes"]}
        chain = [first]
        while chain[-1].row["id"] in successors:
            chain.append(successors[chain[-1].row["id"]])
        return chain


async def load(
    ids: Sequence[int],
    today: date,
    *,
    deadlines: bool = False,
    versions: bool = False,
    detail: bool = False,
    replaced: bool = False,
) -> Evaluated:
    """Load the agreements and evaluate each once as of `today`: one statement whatever the
    number of agreements. `deadlines`: derive them too (only `refresh` stores them). `versions`:
    load every version of each. `detail`: their stewards and annexes (the agreement's own page).
    `replaced`: the agreements each replaces are asked for too (`refresh`: an agreement ends when
    the one replacing it enters into force). An id that does not exist is simply absent
    (`Evaluated[...]` says NotFound)."""
    wanted = sorted(set(ids))
    rows = await Agreement.raw(
        _AGREEMENTS.format("{}", "{}", "{}", "{}", "{}", _DETAIL if detail else ""),
        wanted,
        replaced,
        wanted,
        versions,
        versions,
    )
    parties: dict[int, dict[str, dict]] = {}
    steps: dict[int, list[dict]] = {}
    decisions: dict[int, list[dict]] = {}
    notices: dict[int, list[dict]] = {}
    proposals: dict[int, list[dict]] = {}
    groups: dict[int, list[dict]] = {}
    group_recommendations: dict[int, list[dict]] = {}
    for r in rows:
        agreement_id = r["id"]
        parties[agreement_id] = {
            p[0]: {"code": p[0], "name": p[1], "kind": p[2]} for p in r.pop("party_records")
        }
        steps[agreement_id] = [_step(t) for t in r.pop("step_records")]
        decisions[agreement_id] = [decision_of_record(t) for t in r.pop("decision_records")]
        notices[agreement_id] = [dict(zip(_NOTICE_COLUMNS, t, strict=True)) for t in r.pop("notice_records")]
        proposals[agreement_id] = [
            dict(zip(_PROPOSAL_COLUMNS, t, strict=True)) for t in r.pop("proposal_records")
        ]
        groups[agreement_id] = json.loads(r.pop("groups_json"))
        group_recommendations[agreement_id] = [
            {**x, "taken_on": date.fromisoformat(x["taken_on"])}
            for x in json.loads(r.pop("group_recommendations_json"))
        ]

    by_id = {r["id"]: r for r in rows}
    inputs: dict[int, AgreementInputs] = {}

    def build(agreement_id: int) -> AgreementInputs:
        if agreement_id not in inputs:
            row = by_id[agreement_id]
            parent = build(row["parent"]) if row["parent"] in by_id else None
            inputs[agreement_id] = rule_inputs(
                row,
                parties[agreement_id],
                steps[agreement_id],
                decisions[agreement_id],
                notices[agreement_id],
                parent,
                group_recommendations=_group_recommendations(
                    groups[agreement_id], group_recommendations[agreement_id]
                ),
            )
        return inputs[agreement_id]

    loaded: dict[int, Loaded] = {}

    def load_one(agreement_id: int) -> Loaded:
        """Evaluated after the agreement that replaces it: its entry into force ends this one."""
        if agreement_id in loaded:
            return loaded[agreement_id]
        facts = build(agreement_id)
        replacer = by_id[agreement_id]["replaced_by"]
        if replacer in by_id:
            facts = replace(facts, replaced_from=load_one(replacer).evaluation.in_force_from)
        loaded[agreement_id] = Loaded(
            row=by_id[agreement_id],
            inputs=facts,
            evaluation=evaluate(facts, today, with_deadlines=deadlines),
            parties=parties[agreement_id],
            steps=steps[agreement_id],
            decisions=decisions[agreement_id],
            notices=notices[agreement_id],
            proposals=proposals[agreement_id],
            groups=groups[agreement_id],
            group_recommendations=group_recommendations[agreement_id],
        )
        return loaded[agreement_id]

    for agreement_id in sorted(by_id):
        load_one(agreement_id)
    asked = set(wanted)
    if replaced:
        asked.update(i for i, r in by_id.items() if r["replaced_by"] in asked)
    return Evaluated(as_of=today, asked=tuple(sorted(asked & loaded.keys())), agreements=loaded)


def rule_inputs(
    row: dict,
    parties: dict[str, dict],
    steps: list[dict],
    decisions: list[dict],
    notices: list[dict],
    parent: AgreementInputs | None,
    *,
    group_recommendations: tuple[GroupRecommendation, ...] = (),
) -> AgreementInputs:
    """The rules' view of one stored agreement: the one mapping from rows to rule objects."""
    follow_up = row["annual_follow_up"]
    return AgreementInputs(
        id=row["id"],
        structure=row["structure_slug"],
        kind=AgreementKind(row["kind"]),
        status=own_status(row),
        parties=tuple(parties),
        steps=tuple(TakenStep(s["step"], s["taken_on"]) for s in steps),
        # a remiss whose replies have been compiled (its round closed) has no reply deadline left
        reply_by=next(
            (s["reply_by"] if s["completed_on"] is None else None for s in reversed(steps) if s["reply_by"]),
            None,
        ),
        decisions=tuple(StoredDecision(d["id"], rule_decision(d)) for d in decisions),
        notices=tuple(Notice(n["code"], n["given_on"], n["law_change"], n["agreed_end"]) for n in notices),
        term=term_rule(row),
        entry_rule=EntryRule(row["entry_rule"]),
        entry_fixed_date=row["entry_fixed_date"],
        entry_count=row["entry_count"],
        entry_offset_days=row["entry_offset_days"] or 0,
        declared_in_force_from=row["declared_in_force_from"],
        law_refs=(*(row["law_refs"] or ()), *(row["text_law_refs"] or ())),
        decision_due=row["decision_due"],
        annual_follow_up=MonthDay(*map(int, follow_up.split("-"))) if follow_up else None,
        follow_ups_done=frozenset(row.get("follow_ups_done") or ()),
        group_recommendations=group_recommendations,
        parent=parent,
        party_names={code: p["name"] for code, p in parties.items()},
    )


def own_status(row: dict) -> AgreementStatus:
    """The register's own status of a stored agreement: what the secretariat marked, not the
    "ended" its replacement's entry into force wrote over it (`_store_replaced_status`)."""
    if row["status"] == AgreementStatus.ENDED and row.get("replaced_status"):
        return AgreementStatus(row["replaced_status"])
    return AgreementStatus(row["status"])


def _group_recommendations(
    groups: list[dict], recommendations: list[dict]
) -> tuple[GroupRecommendation, ...]:
    by_slug = {g["slug"]: g for g in groups}
    return tuple(
        GroupRecommendation(
            group=r["group"],
            short_name=by_slug[r["group"]]["short_name"],
            taken_on=r["taken_on"],
            members=frozenset(by_slug[r["group"]]["members"]),
        )
        for r in recommendations
    )


# Entering into force is derived by the rules, not done by anyone: the refresh that first finds an
# agreement in force writes it to the audit trail (so the history shows it, and followers hear of
# it: notifications.events), once per agreement and date. Only an entry of the last week: the first
# refresh of an agreement in force for years is no news.
IN_FORCE_ENTITY = "agreement_in_force"
IN_FORCE_NEWS_DAYS = 7
_IN_FORCE_SQL = f"""
INSERT INTO audit_event (at, actor_user_id, actor, action, entity, entity_id, agreement_id, before, after)
SELECT {{}}, NULL, 'system: ikraftträdande', 'create', '{IN_FORCE_ENTITY}', x.a || ':' || x.d, x.a, NULL,
       jsonb_build_object('in_force_from', to_char(x.d, 'YYYY-MM-DD'))
FROM unnest({{}}::int[], {{}}::date[]) AS x(a, d)
WHERE NOT EXISTS (SELECT 1 FROM audit_event e WHERE e.agreement_id = x.a
                  AND e.entity = '{IN_FORCE_ENTITY}' AND e.entity_id = x.a || ':' || x.d)
"""

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
    so a moved one keeps its row and gets a higher `sequence`; the vanished ones cancelled),
    validity warnings (opened; the resolved ones closed) and the adoption matrix's rows (as of
    `today`). Set-based: a fixed number of statements per batch. Call inside the transaction of
    the change. Inside `deferred()`, it only notes them."""
    pending = _deferred.get()
    if pending is not None:
        pending.update(agreement_ids)
        return
    # an agreement replaced by one of these ends when it enters into force: its deadlines follow
    evaluated = await load(agreement_ids, today, deadlines=True, replaced=True)
    deadlines: list[dict] = []
    warnings: list[dict] = []
    for agreement_id in evaluated.asked:
        evaluation = evaluated[agreement_id].evaluation
        deadlines.extend(
            {
                "a": agreement_id,
                "k": d.key,
                "kd": d.kind.value,
                "du": d.due,
                "pc": d.party_code,
                "t": d.title_sv,
                "nm": d.notice_months,
                "nf": ",".join(d.not_for),  # "1401,1489", made an array by the statement
            }
            for d in evaluation.deadlines
        )
        warnings.extend(
            {"a": agreement_id, "k": w.key, "kd": w.kind.value, "pc": w.party_code, "m": w.message_sv}
            for w in evaluation.warnings
        )
    ids = list(evaluated.asked)
    stamp = now()
    entered = [
        (agreement_id, evaluated[agreement_id].evaluation.in_force_from) for agreement_id in evaluated.asked
    ]
    entered = [(a, d) for a, d in entered if d is not None and 0 <= (today - d).days < IN_FORCE_NEWS_DAYS]
    if entered:
        await AuditEvent.raw(_IN_FORCE_SQL, stamp, [a for a, _ in entered], [d for _, d in entered])
    await _store_replaced_status(evaluated, ids, stamp)
    summaries, cells = _adoption_rows(evaluated, ids)
    await StoredDeadline.raw(
        _REFRESH_SQL,
        _json(summaries),
        _json(deadlines),
        stamp,
        stamp,
        [k.value for k in STORED_ELSEWHERE],
        _json(warnings),
        stamp,
        stamp,
        _json(cells),
    )


def _json(rows: list[dict]) -> str:
    """Rows as one JSON parameter (`json_to_recordset`): asyncpg checks every element of an array
    parameter against three abstract base classes, some 2,000 checks for one agreement's rows."""
    return json.dumps(rows, default=date.isoformat, ensure_ascii=False)


# Everything a refresh stores, in one statement (one round trip however many agreements):
# - deadlines upserted by their key (a moved one keeps its row and gets a higher `sequence`; an
#   unchanged one is not rewritten) and the vanished ones cancelled (not those stored elsewhere);
# - validity warnings opened (a reopened one opened anew; one open and unchanged is not rewritten:
#   a party not yet decided has two, so at national scale a decision rewrote some 80, each firing
#   the data version's trigger at the commit) and the resolved ones closed;
# - the matrix's rows: the summaries upserted, the cells of parties no longer party removed, the
#   others upserted (unchanged ones not rewritten).
# Each part writes rows no other part writes (a cancelled deadline's key is not among those
# upserted, and so on), so the parts may share the statement's one snapshot. The agreements are
# those of the summaries (one each), not an array parameter: with every row a JSON parameter the
# planner estimates the same whatever the batch, so PostgreSQL keeps one plan per connection
# instead of planning the statement on every call (0.4 ms of its 1.1 ms, measured).
_REFRESH_SQL = """
WITH summaries AS (
    SELECT * FROM json_to_recordset({}::json) AS x(agreement int, as_of date, parties_decide bool,
        recommended_on date, decision_due date, adopted int, pending int, total int, settled bool)
), deadlines AS (
    SELECT * FROM json_to_recordset({}::json)
        AS x(a int, k text, kd text, du date, pc text, t text, nm int, nf text)
), upserted AS (
    INSERT INTO deadline (agreement, key, kind, due, party_code, title, notice_months, not_for,
                          cancelled, sequence, updated_at)
    SELECT a, k, kd, du, pc, t, nm, string_to_array(nf, ','), false, 0, {}::timestamptz FROM deadlines
    ON CONFLICT (agreement, key) DO UPDATE SET kind = excluded.kind, due = excluded.due,
        party_code = excluded.party_code, title = excluded.title,
        notice_months = excluded.notice_months, not_for = excluded.not_for, cancelled = false,
        sequence = deadline.sequence + 1, updated_at = excluded.updated_at
    WHERE (deadline.kind, deadline.due, deadline.party_code, deadline.title, deadline.notice_months,
           deadline.not_for, deadline.cancelled) IS DISTINCT FROM (excluded.kind, excluded.due,
           excluded.party_code, excluded.title, excluded.notice_months, excluded.not_for, false)
    RETURNING 1
), cancelled AS (
    UPDATE deadline SET cancelled = true, sequence = sequence + 1, updated_at = {}::timestamptz
    WHERE agreement IN (SELECT agreement FROM summaries) AND NOT cancelled AND kind <> ALL({}::text[])
        AND (agreement, key) NOT IN (SELECT a, k FROM deadlines)
    RETURNING 1
), warnings AS (
    SELECT * FROM json_to_recordset({}::json) AS x(a int, k text, kd text, pc text, m text)
), opened AS (
    INSERT INTO validity_warning (agreement, key, kind, party_code, message, opened_at, closed_at)
    SELECT a, k, kd, pc, m, {}::timestamptz, NULL FROM warnings
    ON CONFLICT (agreement, key) DO UPDATE SET message = excluded.message, kind = excluded.kind,
        opened_at = CASE WHEN validity_warning.closed_at IS NULL THEN validity_warning.opened_at
                         ELSE excluded.opened_at END,
        closed_at = NULL
    WHERE (validity_warning.message, validity_warning.kind, validity_warning.closed_at IS NULL)
        IS DISTINCT FROM (excluded.message, excluded.kind, true)
    RETURNING 1
), closed AS (
    UPDATE validity_warning SET closed_at = {}::timestamptz
    WHERE agreement IN (SELECT agreement FROM summaries) AND closed_at IS NULL
        AND (agreement, key) NOT IN (SELECT a, k FROM warnings)
    RETURNING 1
), summary AS (
    INSERT INTO adoption_summary (agreement, as_of, parties_decide, recommended_on, decision_due,
                                  adopted, pending, total, settled)
    SELECT * FROM summaries
    ON CONFLICT (agreement) DO UPDATE SET as_of = excluded.as_of,
        parties_decide = excluded.parties_decide, recommended_on = excluded.recommended_on,
        decision_due = excluded.decision_due, adopted = excluded.adopted,
        pending = excluded.pending, total = excluded.total, settled = excluded.settled
    RETURNING 1
), cells AS (
    SELECT * FROM json_to_recordset({}::json)
        AS x(agreement int, party_code text, status text, decided_on date, final_on date)
), gone AS (
    DELETE FROM adoption_cell c WHERE c.agreement IN (SELECT agreement FROM summaries)
        AND (c.agreement, c.party_code) NOT IN (SELECT agreement, party_code FROM cells)
    RETURNING 1
)
INSERT INTO adoption_cell (agreement, party_code, status, decided_on, final_on)
SELECT * FROM cells
ON CONFLICT (agreement, party_code) DO UPDATE SET status = excluded.status,
    decided_on = excluded.decided_on, final_on = excluded.final_on
WHERE (adoption_cell.status, adoption_cell.decided_on, adoption_cell.final_on)
    IS DISTINCT FROM (excluded.status, excluded.decided_on, excluded.final_on)
"""


# A replaced agreement's stored status follows its replacement's entry into force, so the
# register's status filter, the dashboards and the matrix, which read the column, say "ended"
# from the replacement's first day (and its own status again should that day move away). The
# change is the system's, in the audit trail like any other.
REPLACEMENT_ACTOR = "system: ersättning"
_REPLACED_SQL = f"""
WITH changed AS (
    UPDATE agreement a SET status = x.status, replaced_status = x.kept, updated_at = {{}}
    FROM unnest({{}}::int[], {{}}::text[], {{}}::text[], {{}}::text[]) AS x(id, status, kept, was)
    WHERE a.id = x.id
    RETURNING a.id, x.status, x.was
)
INSERT INTO audit_event (at, actor_user_id, actor, action, entity, entity_id, agreement_id, before, after)
SELECT {{}}, NULL, '{REPLACEMENT_ACTOR}', 'update', 'agreement', c.id::text, c.id,
       jsonb_build_object('status', c.was), jsonb_build_object('status', c.status)
FROM changed c WHERE c.status <> c.was
"""


async def _store_replaced_status(evaluated: Evaluated, ids: list[int], stamp) -> None:
    changes: tuple[list, ...] = ([], [], [], [])
    for agreement_id in ids:
        loaded = evaluated[agreement_id]
        status, kept = stored_status(loaded.inputs.status, loaded.inputs.replaced_from, evaluated.as_of)
        row = loaded.row
        if (status.value, kept and kept.value) != (row["status"], row["replaced_status"]):
            for col, value in zip(
                changes, (agreement_id, status.value, kept and kept.value, row["status"]), strict=True
            ):
                col.append(value)
    if changes[0]:
        await StoredDeadline.raw(_REPLACED_SQL, stamp, *changes, stamp)


def _adoption_rows(evaluated: Evaluated, ids: list[int]) -> tuple[list[dict], list[dict]]:
    """The matrix rows of these agreements: the summaries and the cells."""
    summaries: list[dict] = []
    cells: list[dict] = []
    for agreement_id in ids:
        row = adoption_row(evaluated[agreement_id], evaluated.as_of)
        summaries.append(
            {
                "agreement": agreement_id,
                "as_of": evaluated.as_of,
                "parties_decide": row.parties_decide,
                "recommended_on": row.recommended_on,
                "decision_due": row.decision_due,
                "adopted": row.adopted,
                "pending": row.pending,
                "total": row.total,
                "settled": row.settled,
            }
        )
        cells.extend(
            {
                "agreement": agreement_id,
                "party_code": code,
                "status": status,
                "decided_on": decided_on,
                "final_on": final_on,
            }
            for code, (status, decided_on, final_on) in row.cells.items()
        )
    return summaries, cells
