"""The demo file (`demo_data.toml`) read as service inputs: agreements, steps and decisions.

Pure: every date comes from the file, except a consultation round's reply date, which counts
from the `today` the loader passes in. Most party decisions are generated, because the seeds
give only a handful; a checksum of the party code picks each one's meeting day and paragraph,
so two loads on different days produce the same register (see the file's header).
"""

from __future__ import annotations

import tomllib
import zlib
from datetime import date, timedelta
from importlib import resources
from typing import Any

import msgspec

from lifecycle.rules.months import add_months
from lifecycle.views import (
    AgreementCreate,
    AgreementPatch,
    DecisionIn,
    GroupRecommendationIn,
    ProposalIn,
    StepIn,
)

SHARED_KEYS = ("stewards", "documents")
MONDAY_TO_THURSDAY = 3  # a council's usual meeting days; date.weekday() counts Monday as 0
FRIDAY = 4


def read() -> dict[str, Any]:
    return tomllib.loads(resources.files("lifecycle").joinpath("demo_data.toml").read_text("utf-8"))


def specs(data: dict[str, Any]) -> list[dict[str, Any]]:
    """Each agreement with its structure's defaults, shared lists and `in_force` filled in."""
    found = []
    for own in data["agreement"]:
        spec = {**data.get("defaults", {}).get(own["structure"], {}), **own, "own": set(own)}
        for key in SHARED_KEYS:
            if isinstance(spec.get(key), str):
                spec[key] = data["shared"][key][spec[key]]
        if "in_force" in spec:
            spec.setdefault("entry_fixed_date", spec["in_force"])
            spec.setdefault("declared_in_force_from", spec["in_force"])
            term = spec.get("term", {})
            if term.get("kind") == "until_further_notice":
                spec["term"] = {"start": spec["in_force"], **term}
        found.append(spec)
    return found


def agreement_input(spec: dict[str, Any], parent_id: int | None) -> AgreementCreate:
    fields = {k: v for k, v in spec.items() if k in AgreementCreate.__struct_fields__}
    return msgspec.convert({**fields, "parent_id": parent_id}, AgreementCreate)


def version_patch(spec: dict[str, Any]) -> AgreementPatch:
    """A new version changes only what its own entry says (not its structure's defaults)."""
    fields = {k: spec[k] for k in spec["own"] if k in AgreementPatch.__struct_fields__}
    return msgspec.convert({**fields, "reference": spec["reference"]}, AgreementPatch)


def steps(spec: dict[str, Any], data: dict[str, Any], today: date) -> list[StepIn]:
    if "steps" in spec:
        raw = data["steps"][spec["steps"]]
    elif "chain" in spec:
        raw = _chain(data["chains"][spec["chain"]], spec)
    else:
        return []
    return [_step(entry, today) for entry in raw]


def group_recommendations(spec: dict[str, Any]) -> list[GroupRecommendationIn]:
    return [msgspec.convert(entry, GroupRecommendationIn) for entry in spec.get("group_recommendations", ())]


def _step(entry: dict[str, Any], today: date) -> StepIn:
    fields = {k: v for k, v in entry.items() if k != "reply_in_days"}
    if "reply_in_days" in entry:
        fields["reply_by"] = today + timedelta(days=entry["reply_in_days"])
    return msgspec.convert(fields, StepIn)


def _chain(chain: dict[str, Any], spec: dict[str, Any]) -> list[dict[str, Any]]:
    anchor = spec[chain["anchor"]]
    found = []
    for entry in chain["steps"]:
        if entry.get("at") == "in_force":
            taken_on = spec["in_force"]
        elif entry.get("at") == "anchor":
            taken_on = anchor
        else:
            taken_on = _weekday(add_months(anchor, entry["months"]))
        step = {"step": entry["step"], "taken_on": taken_on}
        if "reply_months" in entry:
            step["reply_by"] = _weekday(add_months(taken_on, entry["reply_months"]))
        found.append(step)
    return found


def decisions(
    spec: dict[str, Any], data: dict[str, Any], party_codes: list[str]
) -> list[tuple[str, DecisionIn]]:
    """The party decisions of one agreement, as (party code, decision), in meeting order."""
    if "decisions" not in spec:
        return []
    name = spec["decisions"] if isinstance(spec["decisions"], str) else spec["reference"]
    decision_set = data["decisions"][name] if isinstance(spec["decisions"], str) else spec["decisions"]
    explicit = decision_set.get("explicit", [])
    skip = set(decision_set.get("pending", [])) | {e["party"] for e in explicit}
    windows = decision_set.get("windows") or [
        [spec["recommended_on"] + timedelta(weeks=3), spec["in_force"] - timedelta(weeks=5)]
    ]
    found = [
        (e["party"], msgspec.convert({k: v for k, v in e.items() if k != "party"}, DecisionIn))
        for e in explicit
    ]
    for code in party_codes:
        if code not in skip:
            found.append((code, _generated(f"{name}:{code}", code, windows, decision_set)))
    return sorted(found, key=lambda pair: (pair[1].meeting_date, pair[0]))


def proposals(spec: dict[str, Any], data: dict[str, Any]) -> list[tuple[str, ProposalIn]]:
    """The preparatory decisions of one agreement's decision set, as (party code, proposal)."""
    if "decisions" not in spec:
        return []
    decision_set = (
        data["decisions"][spec["decisions"]] if isinstance(spec["decisions"], str) else spec["decisions"]
    )
    return [
        (e["party"], msgspec.convert({k: v for k, v in e.items() if k != "party"}, ProposalIn))
        for e in decision_set.get("proposals", [])
    ]


def _generated(key: str, code: str, windows: list[list[date]], decision_set: dict) -> DecisionIn:
    """One party's adoption at a plausible meeting: a Monday-Thursday within a window, the
    minutes approved 2-5 days later and announced on the notice board 0-1 day after that."""
    seed = zlib.crc32(key.encode("utf-8"))
    start, end = windows[seed % len(windows)]
    meeting = _meeting_day(start + timedelta(days=(seed >> 4) % ((end - start).days + 1)), start)
    justering = _weekday(meeting + timedelta(days=2 + (seed >> 12) % 4))
    anslag = _weekday(justering + timedelta(days=(seed >> 16) % 2))
    region = len(code) == 2  # SCB länskod; kommuner have four digits
    minutes = decision_set.get("minutes", False)
    return DecisionIn(
        body=decision_set.get("region_body" if region else "body")
        or ("Regionfullmäktige" if region else "Kommunfullmäktige"),
        meeting_date=meeting,
        outcome="adopted",
        paragraph=f"§ {20 + (seed >> 20) % 150}" if minutes else None,
        case_number=_case_number(seed, meeting.year, region) if minutes else None,
        justering_date=justering,
        anslag_date=anslag,
    )


def _meeting_day(day: date, earliest: date) -> date:
    """The Monday-Thursday on or before `day`, or the first one after `earliest` if that is later."""
    while day.weekday() > MONDAY_TO_THURSDAY:
        day -= timedelta(days=1)
    while day < earliest or day.weekday() > MONDAY_TO_THURSDAY:
        day += timedelta(days=1)
    return day


def _case_number(seed: int, year: int, region: bool) -> str:
    """Diarienummer in two common shapes: the region's "RS 2022-01234", a kommun's "KS 2022/123"."""
    if region:
        return f"RS {year}-{(seed >> 8) % 9000 + 1000:05d}"
    return f"KS {year}/{(seed >> 8) % 600 + 40}"


def _weekday(day: date) -> date:
    """The day itself, or the Monday after a weekend."""
    while day.weekday() > FRIDAY:
        day += timedelta(days=1)
    return day
