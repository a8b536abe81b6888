"""A party that has given notice hears no more of the agreement-wide notice deadlines after it:
the sweep leaves its contacts out, the others still get theirs (DOMAIN.md rule 5)."""

from __future__ import annotations

from datetime import date

import pytest

from lifecycle.tables import Notice
from notifications.sweep import sweep
from tests.integration.reminders.helpers import deliveries, make_agreement
from workers import runtime

run = runtime.run
# Seed 003's term: Örebro kommun's notice of 2025-03-01 meets the deadline 2025-06-30, so it
# leaves on 2026-12-31; the next period's notice deadline 2028-06-30 gets its first reminder
# 24 months before the period's end 2029-12-31, on 2027-12-31.
FIRST_REMINDER = date(2027, 12, 31)


@pytest.fixture
def made(mailbox, webhooks):
    made = run(make_agreement(parties=("18", "1880", "1860", "1861")))
    notice = Notice(agreement=made.agreement_id, party=made.party_ids["1880"], given_on=date(2025, 3, 1))
    run(Notice.insert(notice).run())
    run(made.refresh(FIRST_REMINDER))
    yield made
    run(made.cleanup())


def test_the_notice_reminder_after_a_partys_notice_goes_to_the_parties_that_stay(made):
    run(sweep(FIRST_REMINDER))

    rows = [
        r for r in run(deliveries(made.agreement_id)) if r["kind"] == "notice" and r["channel"] == "email"
    ]
    assert {r["due"] for r in rows} == {date(2028, 6, 30)}
    recipients = {r["recipient"] for r in rows}
    assert recipients == {
        made.address("registrator18"),
        made.address("registrator1860"),
        made.address("registrator1861"),
        *made.stewards,
        made.secretariat,
    }
    assert made.address("registrator1880") not in recipients
