"""What the agreement services take and return: plain structs the API uses as its schemas."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

import msgspec

from core.limits import LongText, text
from lifecycle.rules.term import MAX_NOTICE_MONTHS, MAX_RENEWAL_YEARS
from lifecycle.tables import (
    Agreement,
    Decision,
    GroupRecommendation,
    PreparatoryDecision,
    ProcessStep,
    Steward,
)
from parties.tables import Party, PartyGroup, Structure

# What each column holds (core.limits): longer is refused before anything is stored.
Url = Annotated[str, msgspec.Meta(max_length=2000)]  # a link in the documents' JSON
LinkTitle = text(Agreement.title)
Kind = text(Agreement.kind)
Reference = text(Agreement.reference)
Title = text(Agreement.title)
Status = text(Agreement.status)
LawRef = text(Agreement.law_refs)
EntryRule = text(Agreement.entry_rule)
MonthDayText = text(Agreement.annual_follow_up)
TermKind = text(Agreement.term_kind)
PersonName = text(Steward.name)
Email = text(Steward.email)
Organisation = text(Steward.organisation)
StepKey = text(ProcessStep.step)
StepBody = text(ProcessStep.body)
Paragraph = text(Decision.paragraph)
CaseNumber = text(Decision.case_number)
DecisionBody = text(Decision.body)
ProposalBody = text(PreparatoryDecision.body)
Outcome = text(Decision.outcome)
AppealState = text(Decision.appeal_state)
NoticeMonths = Annotated[
    int,
    msgspec.Meta(
        ge=0,
        le=MAX_NOTICE_MONTHS,
        description=f"Uppsägningstid i månader (0–{MAX_NOTICE_MONTHS})",
    ),
]
StructureSlug = text(Structure.slug)
GroupSlug = text(PartyGroup.slug)
GroupBody = text(GroupRecommendation.body)
GroupParagraph = text(GroupRecommendation.paragraph)
GroupCaseNumber = text(GroupRecommendation.case_number)
PartyCode = text(Party.code)
RenewalYears = Annotated[
    int,
    msgspec.Meta(
        ge=1,
        le=MAX_RENEWAL_YEARS,
        description=f"Förlängning i år i taget (1–{MAX_RENEWAL_YEARS})",
    ),
]


class Link(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    title: LinkTitle
    url: Url


class StewardIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    name: PersonName
    email: Email
    organisation: Organisation = ""


class TermIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """kind: "fixed" (start, end, notice_months, renewal_years), "until_further_notice"
    (start, notice_months, law_change_notice_months) or "none"."""

    kind: TermKind = "none"
    start: date | None = None
    end: date | None = None
    notice_months: NoticeMonths | None = None
    renewal_years: RenewalYears | None = None
    law_change_notice_months: NoticeMonths | None = None


class AgreementCreate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    structure: StructureSlug
    kind: Kind
    title: Title
    reference: Reference = ""
    summary: LongText = ""
    target_group: LongText = ""
    party_codes: list[PartyCode] | None = None  # None: every party of the structure
    parent_id: int | None = None
    law_refs: list[LawRef] = msgspec.field(default_factory=list)
    documents: list[Link] = msgspec.field(default_factory=list)
    stewards: list[StewardIn] = msgspec.field(default_factory=list)
    term: TermIn = msgspec.field(default_factory=TermIn)
    entry_rule: EntryRule = "when_all_final"
    entry_fixed_date: date | None = None
    # entry_rule "after_n_adoptions": in force entry_offset_days after the entry_count-th
    # adoption is final, and for each later party that many days after its own
    entry_count: int | None = None
    entry_offset_days: int | None = None
    declared_in_force_from: date | None = None
    decision_due: date | None = None
    annual_follow_up: MonthDayText | None = None  # "MM-DD"
    status: Status = "draft"


class AgreementPatch(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Only the fields given change."""

    title: Title | msgspec.UnsetType = msgspec.UNSET
    reference: Reference | msgspec.UnsetType = msgspec.UNSET
    summary: LongText | msgspec.UnsetType = msgspec.UNSET
    target_group: LongText | msgspec.UnsetType = msgspec.UNSET
    status: Status | msgspec.UnsetType = msgspec.UNSET
    law_refs: list[LawRef] | msgspec.UnsetType = msgspec.UNSET
    documents: list[Link] | msgspec.UnsetType = msgspec.UNSET
    stewards: list[StewardIn] | msgspec.UnsetType = msgspec.UNSET
    term: TermIn | msgspec.UnsetType = msgspec.UNSET
    entry_rule: EntryRule | msgspec.UnsetType = msgspec.UNSET
    entry_fixed_date: date | msgspec.UnsetType | None = msgspec.UNSET
    entry_count: int | msgspec.UnsetType | None = msgspec.UNSET
    entry_offset_days: int | msgspec.UnsetType | None = msgspec.UNSET
    declared_in_force_from: date | msgspec.UnsetType | None = msgspec.UNSET
    decision_due: date | msgspec.UnsetType | None = msgspec.UNSET
    annual_follow_up: MonthDayText | msgspec.UnsetType | None = msgspec.UNSET


class StepIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    step: StepKey
    taken_on: date
    body: StepBody = ""
    paragraph: Paragraph = ""
    case_number: CaseNumber = ""
    note: LongText = ""
    links: list[Link] = msgspec.field(default_factory=list)
    reply_by: date | None = None


class ReplacesIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """The agreements this one replaces (seed 004: several into one); the list given is the whole
    list, so an agreement left out is no longer replaced by this one."""

    replaces: Annotated[list[int], msgspec.Meta(max_length=100)]


class AgreementLink(msgspec.Struct, kw_only=True):
    id: int
    reference: str
    title: str


class GroupRecommendationIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A group's recommendation to its members, e.g. GR förbundsstyrelse 2022-03-18 § 356."""

    group: GroupSlug
    taken_on: date
    body: GroupBody
    paragraph: GroupParagraph = ""
    case_number: GroupCaseNumber = ""
    note: LongText = ""


class GroupRecommendationView(msgspec.Struct, kw_only=True):
    id: int
    agreement_id: int
    group: str  # the group's slug
    group_name: str
    short_name: str
    body: str
    taken_on: date
    paragraph: str
    case_number: str
    note: str


class DecisionIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A party already settled by a final decision takes a new final one only with `replaces` (the
    id of the decision it corrects, which is then changed in place) or `confirm_new` (a new
    decision in its own right): else 409, naming the decision that counts now."""

    body: DecisionBody
    meeting_date: date
    outcome: Outcome
    paragraph: Paragraph | None = None
    case_number: CaseNumber | None = None
    justering_date: date | None = None
    anslag_date: date | None = None
    note: LongText = ""
    replaces: int | None = None
    confirm_new: bool = False
    # the annexes and related documents the same paragraph decides (lifecycle.rules.packages);
    # None: none for a new decision, unchanged for the planned meeting or decision it replaces
    covers: list[int] | None = None


class DecisionPatch(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A correction, or an appeal recorded later. Only the fields given change."""

    body: DecisionBody | msgspec.UnsetType = msgspec.UNSET
    meeting_date: date | msgspec.UnsetType = msgspec.UNSET
    outcome: Outcome | msgspec.UnsetType = msgspec.UNSET
    paragraph: Paragraph | msgspec.UnsetType | None = msgspec.UNSET
    case_number: CaseNumber | msgspec.UnsetType | None = msgspec.UNSET
    justering_date: date | msgspec.UnsetType | None = msgspec.UNSET
    anslag_date: date | msgspec.UnsetType | None = msgspec.UNSET
    appeal_state: AppealState | msgspec.UnsetType = msgspec.UNSET
    appeal_lodged_on: date | msgspec.UnsetType | None = msgspec.UNSET
    appeal_resolved_on: date | msgspec.UnsetType | None = msgspec.UNSET
    note: LongText | msgspec.UnsetType = msgspec.UNSET
    covers: list[int] | msgspec.UnsetType = msgspec.UNSET


class ProposalIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A preparatory decision: a nämnd's or kommunstyrelse's proposal to the party's assembly."""

    body: ProposalBody
    meeting_date: date
    paragraph: Paragraph | None = None
    case_number: CaseNumber | None = None
    proposal: LongText = ""  # what it proposes, as its minutes say
    note: LongText = ""


class ProposalPatch(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A correction of a recorded proposal. Only the fields given change."""

    body: ProposalBody | msgspec.UnsetType = msgspec.UNSET
    meeting_date: date | msgspec.UnsetType = msgspec.UNSET
    paragraph: Paragraph | msgspec.UnsetType | None = msgspec.UNSET
    case_number: CaseNumber | msgspec.UnsetType | None = msgspec.UNSET
    proposal: LongText | msgspec.UnsetType = msgspec.UNSET
    note: LongText | msgspec.UnsetType = msgspec.UNSET


class NoticeIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    given_on: date
    law_change: bool = False
    agreed_end: date | None = None  # only for a term without a notice period: the end agreed on
    note: LongText = ""


# --- answers -------------------------------------------------------------------------------


class Steward(msgspec.Struct, kw_only=True):
    name: str
    email: str | None  # null for those who do not handle the agreement (api.personal_data)
    organisation: str


class WarningView(msgspec.Struct, kw_only=True):
    key: str
    kind: str
    message: str
    party_code: str | None


class AgreementSummary(msgspec.Struct, kw_only=True):
    id: int
    reference: str
    title: str
    kind: str
    structure: str
    status: str
    version: int
    parent_id: int | None
    party_count: int
    updated_at: datetime


class AgreementPage(msgspec.Struct, kw_only=True):
    items: list[AgreementSummary]
    total: int
    limit: int
    offset: int


class VersionRef(msgspec.Struct, kw_only=True):
    id: int
    version: int
    title: str
    state: str  # draft | upcoming | current | superseded
    in_force_from: date | None


class StepState(msgspec.Struct, kw_only=True):
    key: str | None
    label: str | None
    allowed_next: list[str]
    parties_decide: bool
    recommended_on: date | None


class AgreementDetail(AgreementSummary, kw_only=True):
    summary: str
    target_group: str
    supersedes_id: int | None
    law_refs: list[str]
    # the laws its own documents' text cites (documents.rules.laws); the warnings read both
    text_law_refs: list[str]
    documents: list[Link]
    stewards: list[Steward]
    term: TermIn
    entry_rule: str
    entry_fixed_date: date | None
    entry_count: int | None = None
    entry_offset_days: int | None = None
    declared_in_force_from: date | None
    in_force_from: date | None
    decision_due: date | None
    annual_follow_up: str | None
    process: StepState
    warnings: list[WarningView]
    versions: list[VersionRef]
    annexes: list[AgreementSummary]
    # many into one (seed 004): what this one replaces, what replaces it and from which day
    replaces: list[AgreementLink] = msgspec.field(default_factory=list)
    replaced_by: AgreementLink | None = None
    replaced_from: date | None = None
    created_at: datetime


class TimelineEntry(msgspec.Struct, kw_only=True):
    id: int
    step: str
    label: str
    taken_on: date
    body: str
    paragraph: str
    case_number: str
    note: str
    links: list[Link]
    reply_by: date | None
    completed_on: date | None = None  # a remiss: the day its replies were compiled


class CoveredAgreement(msgspec.Struct, kw_only=True):
    id: int
    reference: str
    title: str


class DecisionView(msgspec.Struct, kw_only=True):
    """`agreement_id` is the agreement it is logged on; `covers` the annexes and related documents
    the same paragraph decides, for which it counts as well (one decision for a package)."""

    id: int
    agreement_id: int
    party_code: str
    party_name: str
    body: str
    meeting_date: date
    outcome: str
    paragraph: str | None
    case_number: str | None
    justering_date: date | None
    anslag_date: date | None
    last_appeal_day: date | None
    legal_state: str
    legally_final_on: date | None
    appeal_state: str
    appeal_lodged_on: date | None
    appeal_resolved_on: date | None
    note: str
    covers: list[CoveredAgreement] = msgspec.field(default_factory=list)
    updated_at: datetime


class ProposalView(msgspec.Struct, kw_only=True):
    """A preparatory decision (lifecycle.rules.preparation): never the party's decision."""

    id: int
    agreement_id: int
    party_code: str
    party_name: str
    body: str
    meeting_date: date
    paragraph: str | None
    case_number: str | None
    proposal: str
    note: str
    created_at: datetime


class AdoptionRow(msgspec.Struct, kw_only=True):
    party_code: str
    party_name: str
    party_kind: str
    status: str
    decided_on: date | None
    legally_final_on: date | None
    decision: DecisionView | None
    next_meeting: date | None
    in_force_from: date | None
    # the party's preparatory decisions by then (nämnd, kommunstyrelse), oldest first
    proposals: list[ProposalView] = msgspec.field(default_factory=list)
    groups: list[str] = msgspec.field(default_factory=list)  # the slugs of the party's groups
    # by when the party is asked to decide: after its group's recommendation when it has one
    decide_by: date | None = None


class AdoptionGroup(msgspec.Struct, kw_only=True):
    """A group of the agreement's parties (a kommunalförbund), its members among them and its
    recommendation to them, if it has made one."""

    slug: str
    short_name: str
    name: str
    kind: str
    party_codes: list[str]
    recommendation: GroupRecommendationView | None


class EntryState(msgspec.Struct, kw_only=True):
    rule: str
    agreement_from: date | None
    blocked_by: list[str]
    waiting_for: list[str]


class ForecastView(msgspec.Struct, kw_only=True):
    """Entry into force if every undecided party adopts at its planned meeting, its minutes on
    time (lifecycle.rules.forecast). `in_force_from` None: a party has no plan, or rejected."""

    in_force_from: date | None
    holding_back: list[str]  # the parties whose planned decisions set the date
    without_plan: list[str]  # undecided parties with no planned meeting
    blocked_by: list[str]  # parties that rejected
    in_preparation: list[str] = msgspec.field(default_factory=list)  # undecided, with a proposal


class AdoptionOverview(msgspec.Struct, kw_only=True):
    agreement_id: int
    title: str
    as_of: date
    # False for a guideline or transitional provisions: `decided_by` decides alone, and the
    # parties' rows say only who is bound (their status stays "pending", nothing is awaited)
    parties_decide: bool
    decided_by: str | None
    recommended_on: date | None
    decision_due: date | None
    counts: dict[str, int]
    total: int
    entry: EntryState | None
    in_force_from: date | None
    forecast: ForecastView | None = None
    warnings: list[WarningView]
    parties: list[AdoptionRow]
    groups: list[AdoptionGroup] = msgspec.field(default_factory=list)


class PeriodView(msgspec.Struct, kw_only=True):
    start: date
    end: date | None


class NoticeView(msgspec.Struct, kw_only=True):
    id: int
    party_code: str
    party_name: str
    given_on: date
    law_change: bool
    agreed_end: date | None
    note: str
    ends_for_party_on: date | None


class TermView(msgspec.Struct, kw_only=True):
    """The term on `as_of`. Asked for one `party`: `ends_for_party_on` is its last bound day after
    its notice (None while it stays), `runs_until` that day when it leaves (else the agreement's),
    and `next_notice_deadline` None once it has given notice or has left. Without: the agreement's,
    for the parties that remain."""

    agreement_id: int
    as_of: date
    party: str | None = None
    ends_for_party_on: date | None = None
    rule: TermIn
    inherited_from: int | None  # an annex's term is its parent's
    current_period: PeriodView | None
    runs_until: date | None
    next_notice_deadline: date | None
    upcoming_renewals: list[PeriodView]
    ended: bool
    ends_on: date | None
    notices: list[NoticeView]


class PartyAgreementRow(msgspec.Struct, kw_only=True):
    agreement_id: int
    title: str
    kind: str
    structure: str
    agreement_status: str
    party_status: str
    decided_on: date | None
    legally_final_on: date | None
    recommended_on: date | None
    decide_by: date | None
    next_meeting: date | None
    to_do: str  # what the party must do, in Swedish
    # the party's preparatory decisions on it (nämnd → kommunstyrelse), by meeting date
    proposals: list[ProposalView] = msgspec.field(default_factory=list)


class PartyAgreements(msgspec.Struct, kw_only=True):
    party_code: str
    party_name: str
    as_of: date
    items: list[PartyAgreementRow]
