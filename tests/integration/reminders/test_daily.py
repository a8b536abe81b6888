"""The daily run: every live agreement refreshed, a newly opened validity warning notified once
to the secretariat and the stewards, a resolved one closed by itself."""

from __future__ import annotations

from datetime import timedelta

from core.clock import today
from lifecycle.rules.months import add_months
from lifecycle.tables import ProcessStep, StoredWarning
from tests.integration.reminders.helpers import (
    decide,
    deliveries,
    digests_of,
    make_agreement,
    restore_other_agreements,
    send_all,
    set_aside_other_agreements,
)
from workers import runtime, tasks

run = runtime.run


def test_an_undecided_party_is_warned_of_once_and_the_warning_closes_when_it_decides(mailbox):
    # given an agreement recommended ten months ago, adopted by the region but not by Laxå
    # (lifecycle.rules.validity: undecided for more than 9 months is worth a warning)
    made = run(make_agreement(parties=("18", "1860"), status="draft", term={"term_kind": "none"}))
    # (other tests' agreements with Laxå would join its registrator's digest)
    others = run(set_aside_other_agreements(made.agreement_id))
    try:
        recommended = add_months(today(), -10)
        run(
            ProcessStep.insert(
                ProcessStep(
                    agreement=made.agreement_id, step="rekommendation_samverkansrad", taken_on=recommended
                )
            ).run()
        )
        run(decide(made, "18", outcome="adopted", meeting=recommended, anslag=recommended))
        # when the daily run has refreshed every agreement and swept
        first = tasks.daily.run()
        assert first["refreshed"] >= 1
        # then the warning is open and went to the stewards, the secretariat and Laxå's
        # registrator (Laxå must act), once each
        rows = run(deliveries(made.agreement_id))
        assert sorted((r["kind"], r["party_code"], r["recipient"]) for r in rows) == sorted(
            ("undecided_long", "1860", a) for a in [*made.stewards, made.secretariat, *made.contacts["1860"]]
        )
        assert set(send_all(made.agreement_id).values()) == {"sent"}
        (digest,) = [
            g for g in run(digests_of(made.agreement_id)) if g["recipient"] == made.contacts["1860"][0]
        ]
        (message,) = mailbox.received({digest["key"]})
        assert message["Subject"].startswith("Varning om giltighet: Överenskommelse om påminnelser")
        plain = message.get_body(("plain",)).get_content()
        assert "Laxå (1860) har inte fattat beslut" in plain
        assert "Gäller Laxå (1860)." in plain
        assert "Du får meddelandet som registrator för Laxå (1860)." in plain
        # when the next days' runs find it still open: nothing more
        tasks.daily.run()
        tasks.daily.run(as_of=(today() + timedelta(days=1)).isoformat())
        assert len(run(deliveries(made.agreement_id))) == len(rows)
        # when Laxå decides, the next run closes the warning and tells no one
        run(decide(made, "1860", outcome="adopted", meeting=today(), anslag=today()))
        tasks.daily.run()
        (warning,) = run(StoredWarning.select().where(StoredWarning.agreement == made.agreement_id).run())
        assert warning["closed_at"] is not None
        assert len(run(deliveries(made.agreement_id))) == len(rows)
    finally:
        run(restore_other_agreements(others))
        run(made.cleanup())
