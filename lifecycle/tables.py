"""Tables of agreements, their process, the parties' decisions and notices.

Enumerated columns hold the values of the enums in `lifecycle.rules.model`; the rules, not the
tables, say what they mean.
"""

from __future__ import annotations

from piccolo.columns import (
    JSONB,
    Array,
    Boolean,
    Date,
    ForeignKey,
    Integer,
    OnDelete,
    Serial,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.constraints import Check, Unique
from piccolo.table import Table

from parties.tables import Party, PartyGroup, Structure


class Agreement(Table, tablename="agreement"):
    """One version of an agreement (överenskommelse, riktlinje, bilaga...)."""

    id = Serial(primary_key=True)
    structure = ForeignKey(Structure, null=False, on_delete=OnDelete.restrict, index=True)
    kind = Varchar(length=30)
    reference = Varchar(length=60, default="")  # the secretariat's own id, e.g. "VIS-2022-03"
    title = Varchar(length=300)
    summary = Text(default="")
    target_group = Text(default="")
    status = Varchar(length=12, default="draft", index=True)
    all_parties = Boolean(default=True)
    parent = ForeignKey("self", null=True, on_delete=OnDelete.restrict, index=True)
    supersedes = ForeignKey("self", null=True, on_delete=OnDelete.restrict, index=True)
    # many into one (seed 004: 17 agreements into about seven): the agreement that replaces this
    # one; it ends this one the day before it enters into force (lifecycle.rules.replacement)
    replaced_by = ForeignKey("self", null=True, on_delete=OnDelete.restrict, index=True)
    # the register's own status while `status` holds "ended" because its replacement is in force
    # (store.refresh writes both): restored if the replacement's entry into force moves away
    replaced_status = Varchar(length=12, null=True, default=None)
    version = Integer(default=1)
    law_refs = Array(base_column=Varchar(length=120), default=list)
    # found in the version's own documents (kept by documents.services); the rules read both
    text_law_refs = Array(base_column=Varchar(length=120), default=list)
    documents = JSONB(default="[]")  # [{"title": ..., "url": ...}]
    # term rule: kind "fixed" | "until_further_notice" | "none"
    term_kind = Varchar(length=24, default="none")
    term_start = Date(null=True, default=None)
    term_end = Date(null=True, default=None)
    notice_months = Integer(null=True, default=None)
    renewal_years = Integer(null=True, default=None)
    law_change_notice_months = Integer(null=True, default=None)
    # entry-into-force rule
    entry_rule = Varchar(length=40, default="when_all_final")
    entry_fixed_date = Date(null=True, default=None)
    # entry_rule "after_n_adoptions": in force entry_offset_days after the entry_count-th adoption
    entry_count = Integer(null=True, default=None)
    entry_offset_days = Integer(null=True, default=None)
    declared_in_force_from = Date(null=True, default=None)  # what the register says, if anything
    decision_due = Date(null=True, default=None)  # by when the parties are asked to decide
    annual_follow_up = Varchar(length=5, null=True, default=None)  # "MM-DD", e.g. "11-15"
    reminder_policy = JSONB(default="{}")  # per-agreement overrides of lead times
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())

    valid_annual_follow_up = Check("annual_follow_up IS NULL OR annual_follow_up ~ '^[01][0-9]-[0-3][0-9]$'")
    one_version_successor = Unique(["supersedes"])
    not_replaced_by_itself = Check("replaced_by IS NULL OR replaced_by <> id")


class AgreementParty(Table, tablename="agreement_party"):
    """The parties an agreement is for (materialised, also when it is for the whole structure)."""

    agreement = ForeignKey(Agreement, null=False, on_delete=OnDelete.cascade, index=True)
    party = ForeignKey(Party, null=False, on_delete=OnDelete.restrict, index=True)

    unique_agreement_party = Unique(["agreement", "party"])


class Steward(Table, tablename="steward"):
    """A förvaltare: one at the secretariat and one at the region, per agreement."""

    agreement = ForeignKey(Agreement, null=False, on_delete=OnDelete.cascade, index=True)
    name = Varchar(length=200)
    email = Varchar(length=320)
    organisation = Varchar(length=200, default="")

    unique_agreement_email = Unique(["agreement", "email"])


class ProcessStep(Table, tablename="process_step"):
    """A step of the joint process taken on a date (a remiss sent, a recommendation...)."""

    agreement = ForeignKey(Agreement, null=False, on_delete=OnDelete.cascade, index=True)
    step = Varchar(length=60)
    taken_on = Date()
    body = Varchar(length=200, default="")
    paragraph = Varchar(length=20, default="")
    case_number = Varchar(length=60, default="")
    note = Text(default="")
    links = JSONB(default="[]")
    reply_by = Date(null=True, default=None)  # a remiss's reply deadline
    completed_on = Date(null=True, default=None)  # a remiss's replies compiled (its round closed)
    created_at = Timestamptz(default=TimestamptzNow())


class GroupRecommendation(Table, tablename="group_recommendation"):
    """A group's own recommendation to its members (seed 003: GR förbundsstyrelse 2022-03-18
    § 356 "rekommenderar medlemskommunerna att anta"): its members' decide-by date follows it."""

    agreement = ForeignKey(Agreement, null=False, on_delete=OnDelete.cascade, index=True)
    party_group = ForeignKey(PartyGroup, null=False, on_delete=OnDelete.restrict, index=True)
    body = Varchar(length=200)
    taken_on = Date()
    paragraph = Varchar(length=20, default="")
    case_number = Varchar(length=60, default="")
    note = Text(default="")
    created_at = Timestamptz(default=TimestamptzNow())

    one_per_group = Unique(["agreement", "party_group"])


class Decision(Table, tablename="party_decision"):
    """One party body's decision (or planned meeting) on one agreement."""

    agreement = ForeignKey(Agreement, null=False, on_delete=OnDelete.cascade, index=True)
    party = ForeignKey(Party, null=False, on_delete=OnDelete.restrict, index=True)
    body = Varchar(length=120)
    meeting_date = Date()
    outcome = Varchar(length=30)
    paragraph = Varchar(length=20, null=True, default=None)
    case_number = Varchar(length=60, null=True, default=None)
    justering_date = Date(null=True, default=None)
    anslag_date = Date(null=True, default=None)
    appeal_state = Varchar(length=12, default="none")
    appeal_lodged_on = Date(null=True, default=None)
    appeal_resolved_on = Date(null=True, default=None)
    note = Text(default="")
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())

    one_decision_per_meeting = Unique(["agreement", "party", "body", "meeting_date"])


class DecisionCover(Table, tablename="decision_cover"):
    """A further agreement that one decision covers: one § adopting a main agreement with annexes
    and related documents it names (seed 003: Härryda's council adopts the health-care agreement,
    its four annexes and the Färdplan in one paragraph). The decision is stored once, under the
    main agreement (`party_decision.agreement`); the rules read it as each covered one's own."""

    decision = ForeignKey(Decision, null=False, on_delete=OnDelete.cascade, index=True)
    agreement = ForeignKey(Agreement, null=False, on_delete=OnDelete.cascade, index=True)

    one_cover_per_agreement = Unique(["decision", "agreement"])


class PreparatoryDecision(Table, tablename="preparatory_decision"):
    """A body's proposal on the way to the party's decision (nämnd → kommunstyrelse → fullmäktige;
    seed 003: Härryda's välfärdsnämnd proposes, and kommunstyrelsen proposes the same to
    kommunfullmäktige). Shown beside the party's standing, never counted as its decision."""

    agreement = ForeignKey(Agreement, null=False, on_delete=OnDelete.cascade, index=True)
    party = ForeignKey(Party, null=False, on_delete=OnDelete.restrict, index=True)
    body = Varchar(length=120)
    meeting_date = Date()
    paragraph = Varchar(length=20, null=True, default=None)
    case_number = Varchar(length=60, null=True, default=None)
    proposal = Text(default="")  # what it proposes, as its minutes say
    note = Text(default="")
    created_at = Timestamptz(default=TimestamptzNow())

    one_proposal_per_meeting = Unique(["agreement", "party", "body", "meeting_date"])


class Notice(Table, tablename="notice"):
    """A party's written termination (uppsägning) of an agreement."""

    agreement = ForeignKey(Agreement, null=False, on_delete=OnDelete.cascade, index=True)
    party = ForeignKey(Party, null=False, on_delete=OnDelete.restrict, index=True)
    given_on = Date()
    law_change = Boolean(default=False)
    agreed_end = Date(null=True, default=None)  # when the term has no notice period (seed 002)
    note = Text(default="")
    created_at = Timestamptz(default=TimestamptzNow())

    one_notice_per_party = Unique(["agreement", "party"])


class StoredDeadline(Table, tablename="deadline"):
    """A deadline derived from the rules, kept so reminders and feeds can be swept set-wise.

    Recomputed in the transaction of every change that can move it; a deadline that goes away
    is marked cancelled (feeds publish STATUS:CANCELLED), never deleted.
    """

    # an agreement's deadline, or (agreement NULL) a structure's: a round of the whole structure
    # (rounds.services.deadlines); exactly one of the two is set
    agreement = ForeignKey(Agreement, null=True, on_delete=OnDelete.cascade, index=True)
    key = Varchar(length=120)
    kind = Varchar(length=40, index=True)
    due = Date(index=True)
    party_code = Varchar(length=4, null=True, default=None, index=True)
    title = Text()
    notice_months = Integer(null=True, default=None)
    # an agreement-wide deadline's parties that gave notice and are no longer concerned by it
    # (lifecycle.rules.term.not_concerned): cancelled in their deadlines, feeds and reminders
    not_for = Array(Varchar(length=4), default=list)
    cancelled = Boolean(default=False)
    sequence = Integer(default=0)  # bumped on every change, for iCalendar SEQUENCE
    updated_at = Timestamptz(default=TimestamptzNow())
    structure = ForeignKey(Structure, null=True, default=None, on_delete=OnDelete.cascade, index=True)

    deadline_unique_key = Unique(["agreement", "key"])
    deadline_structure_key = Unique(["structure", "key"])
    deadline_agreement_or_structure = Check("(agreement IS NULL) <> (structure IS NULL)")


class StoredWarning(Table, tablename="validity_warning"):
    """A validity warning (DOMAIN.md rule 4) while it holds; closed, not deleted, when it stops."""

    agreement = ForeignKey(Agreement, null=False, on_delete=OnDelete.cascade, index=True)
    key = Varchar(length=120)
    kind = Varchar(length=40)
    party_code = Varchar(length=4, null=True, default=None)
    message = Text()
    opened_at = Timestamptz(default=TimestamptzNow())
    closed_at = Timestamptz(null=True, default=None, index=True)

    warning_unique_key = Unique(["agreement", "key"])


class FollowUpDone(Table, tablename="follow_up_done"):
    """A follow-up recorded as done (the implementation follow-up, or one year's annual one), by
    its deadline's key: its deadline is met, so it is no longer due and reminds no one."""

    agreement = ForeignKey(Agreement, null=False, on_delete=OnDelete.cascade, index=True)
    key = Varchar(length=40)  # "follow_up_implementation", "follow_up_annual:2027"
    done_on = Date()
    note = Text(default="")
    created_at = Timestamptz(default=TimestamptzNow())

    one_per_follow_up = Unique(["agreement", "key"])


class AdoptionSummary(Table, tablename="adoption_summary"):
    """An agreement's row of its structure's adoption matrix as the rules derived it on `as_of`:
    stored by `store.refresh` in the transaction of every change and by the daily run, so the
    matrix reads it instead of evaluating every agreement. A row not derived for today is
    evaluated afresh by the reader (lifecycle.services.matrix)."""

    agreement = ForeignKey(Agreement, null=False, on_delete=OnDelete.cascade, unique=True)
    as_of = Date()
    parties_decide = Boolean()
    recommended_on = Date(null=True, default=None)
    decision_due = Date(null=True, default=None)
    adopted = Integer()
    pending = Integer()
    total = Integer()
    # the row holds on every later day too (lifecycle.rules.decisions.adoption_settled): no
    # decision of the agreement has a date after `as_of`, so no reader evaluates it afresh
    settled = Boolean(default=False)


class AdoptionCell(Table, tablename="adoption_cell"):
    """One party's standing on one agreement, stored beside the agreement's `AdoptionSummary`."""

    agreement = ForeignKey(Agreement, null=False, on_delete=OnDelete.cascade, index=True)
    party_code = Varchar(length=4)
    status = Varchar(length=40)
    decided_on = Date(null=True, default=None)
    final_on = Date(null=True, default=None)

    one_cell_per_party = Unique(["agreement", "party_code"])
