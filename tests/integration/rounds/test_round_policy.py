"""A structure's lead time for follow-up rounds: four weeks by default, changed by its secretariat
(not another structure's), refused in Swedish outside 1–26 weeks, and used by the daily run."""

from __future__ import annotations

from datetime import date, timedelta

from lifecycle.tables import StoredDeadline
from rounds.services import follow_up_rounds
from rounds.tables import Round
from tests.integration.conftest import bearer
from tests.integration.reminders.helpers import make_agreement

POLICY = "/api/structures/orebro/round-policy"
DUE = date(2031, 11, 15)


async def test_the_secretariat_sets_its_structures_lead_and_the_daily_run_opens_rounds_by_it(
    client, anonymous_client, make_user
):
    made = await make_agreement(structure="orebro", contacts=False)
    await StoredDeadline.insert(
        StoredDeadline(
            agreement=made.agreement_id,
            key="follow_up_annual:2031",
            kind="follow_up_annual",
            due=DUE,
            title="Årlig uppföljning av överenskommelsen ska vara genomförd",
        )
    )
    try:
        # by default, four weeks: five weeks ahead opens nothing
        assert (await anonymous_client.get(POLICY)).json() == {
            "structure": "orebro",
            "follow_up_weeks": 4,
            "default": True,
            "updated_at": None,
        }
        five_weeks_ahead = DUE - timedelta(weeks=5)
        assert await _opened(made.agreement_id, five_weeks_ahead) == []
        # when Örebro's secretariat chooses six weeks (another structure's may not)
        secretariat = await make_user("secretariat", structure="orebro")
        other = await make_user("secretariat", structure="vastmanland")
        refused = await client.put(POLICY, json={"follow_up_weeks": 6}, headers=bearer(other))
        assert refused.status_code == 403
        for bad in (0, 27):
            answer = await client.put(POLICY, json={"follow_up_weeks": bad}, headers=bearer(secretariat))
            assert answer.status_code == 422 and "1–26" in answer.json()["detail"]
        saved = await client.put(POLICY, json={"follow_up_weeks": 6}, headers=bearer(secretariat))
        assert saved.status_code == 200, saved.text
        assert (saved.json()["follow_up_weeks"], saved.json()["default"]) == (6, False)
        # then the daily run opens the follow-up's round five weeks ahead, once
        (opened,) = await _opened(made.agreement_id, five_weeks_ahead)
        assert (opened["follow_up_key"], opened["reply_by"]) == ("follow_up_annual:2031", DUE)
        assert await _opened(made.agreement_id, five_weeks_ahead) == []
        # and null puts the structure back on the default
        back = await client.put(POLICY, json={"follow_up_weeks": None}, headers=bearer(secretariat))
        assert (back.json()["follow_up_weeks"], back.json()["default"]) == (4, True)
    finally:
        await client.put(POLICY, json={"follow_up_weeks": None})
        await made.cleanup()


async def _opened(agreement_id: int, day: date) -> list[dict]:
    ids = await follow_up_rounds.open_due(day)
    return await Round.select().where(Round.id.is_in(ids or [0]) & (Round.agreement == agreement_id))


async def test_the_structure_page_shows_the_lead_and_its_secretariat_changes_it(
    client, anonymous_client, make_user
):
    from api.security import CSRF_COOKIE, CSRF_FIELD
    from tests.integration.pages.test_my_calendar import PASSWORD, _sign_in

    browser = anonymous_client
    page = (await browser.get("/structures/orebro")).text
    assert "får sin runda till parterna <strong>4 veckor</strong> före sitt datum (standard)" in page
    assert 'action="/structures/orebro/round-policy"' not in page  # not signed in: no form
    secretariat = await make_user("secretariat", structure="orebro", password=PASSWORD)
    await _sign_in(browser, secretariat)
    assert 'action="/structures/orebro/round-policy"' in (await browser.get("/structures/orebro")).text
    try:

        async def post(weeks: str):
            data = {"follow_up_weeks": weeks, CSRF_FIELD: browser.cookies[CSRF_COOKIE]}
            return await browser.post("/structures/orebro/round-policy", data=data, follow_redirects=False)

        bad = await post("fyra")
        assert bad.status_code == 422 and "Ange ett antal veckor med siffror: 1–26." in bad.text
        assert 'aria-invalid="true"' in bad.text and 'value="fyra"' in bad.text
        assert (await post("30")).status_code == 422
        saved = await post("8")
        assert (saved.status_code, saved.headers["location"]) == (
            303,
            "/structures/orebro?sparat=uppfoljningsrundor#uppfoljningsrundor",
        )
        after = (await browser.get(saved.headers["location"])).text
        assert "<strong>8 veckor</strong> före sitt datum." in after
        assert "Uppföljningsrundornas framförhållning är sparad." in after
    finally:
        await client.put(POLICY, json={"follow_up_weeks": None})


async def test_a_structure_that_does_not_exist_answers_404_with_its_name_to_every_reader_and_writer(
    client, anonymous_client, make_user
):
    from api.security import CSRF_COOKIE, CSRF_FIELD
    from tests.integration.pages.test_my_calendar import PASSWORD, _sign_in

    missing = "/api/structures/ingen-struktur/round-policy"
    secretariat = await make_user("secretariat", structure="orebro", password=PASSWORD)
    answers = [
        await anonymous_client.get(missing),
        await client.put(missing, json={"follow_up_weeks": 6}),  # an admin: no scope to compare
        await client.put(missing, json={"follow_up_weeks": 6}, headers=bearer(secretariat)),
    ]
    for answer in answers:
        assert answer.status_code == 404, answer.text
        assert "ingen-struktur" in answer.json()["detail"]
    admin = await make_user("admin", password=PASSWORD)
    for user in (secretariat, admin):
        await _sign_in(anonymous_client, user)
        for weeks in ("6", "sex"):
            data = {"follow_up_weeks": weeks, CSRF_FIELD: anonymous_client.cookies[CSRF_COOKIE]}
            page = await anonymous_client.post(
                "/structures/ingen-struktur/round-policy", data=data, follow_redirects=False
            )
            assert page.status_code == 404 and "ingen-struktur" in page.text, (user.email, weeks)
