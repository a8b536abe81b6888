"""Mina aviseringar, following from the pages, and the e-mails' unsubscribe link: a signed-in
person follows and unfollows, chooses how often and about what; anyone with an e-mail stops it
with one click, without signing in; a forged link is refused."""

from __future__ import annotations

from api.security import CSRF_COOKIE, CSRF_FIELD
from audit.tables import AuditEvent
from notifications import preferences
from notifications.tables import Preference
from notifications.unsubscribe import make_token, read_token
from tests.agreements import create_agreement
from tests.integration.pages.test_my_calendar import PASSWORD, _sign_in


async def _post(browser, action: str, **data):
    return await browser.post(
        action, data={**data, CSRF_FIELD: browser.cookies[CSRF_COOKIE]}, follow_redirects=False
    )


async def test_a_signed_in_clerk_follows_and_unfollows_an_agreement_from_its_page(
    client, anonymous_client, make_user
):
    agreement = await create_agreement(client)
    clerk = await make_user("clerk", party="1401", password=PASSWORD)
    browser = anonymous_client
    # not signed in: no button
    assert "Följ</button>" not in (await browser.get(f"/agreements/{agreement['id']}")).text
    await _sign_in(browser, clerk)
    page = await browser.get(f"/agreements/{agreement['id']}")
    assert '<button type="submit">Följ</button>' in page.text

    # when the clerk follows it
    followed = await _post(
        browser,
        "/me/follows",
        scope="agreement",
        key=str(agreement["id"]),
        next=f"/agreements/{agreement['id']}",
    )
    # then the page says so and offers to stop; the API and Mina aviseringar list it
    assert (followed.status_code, followed.headers["location"]) == (
        303,
        f"/agreements/{agreement['id']}?sparat=foljer",
    )
    after = await browser.get(followed.headers["location"])
    assert "Du följer den nu." in after.text and "Sluta följa</button>" in after.text
    mine = (await browser.get("/api/me/notifications")).json()
    own, follow = mine["follows"]
    assert (own["scope"], own["key"], own["default"], own["id"]) == ("party", "1401", True, None)
    assert (follow["scope"], follow["key"], follow["href"]) == (
        "agreement",
        str(agreement["id"]),
        f"/agreements/{agreement['id']}",
    )
    assert mine["preferences"] == {
        "email": clerk.email,
        "frequency": "daily",
        "kinds": [],
        "events": False,
        "unsubscribed": False,
        "unsubscribed_at": None,
    }
    listing = await browser.get("/me/notifications")
    assert listing.status_code == 200 and f'<a href="/agreements/{agreement["id"]}">' in listing.text
    # and the sweep has a subscription to send to: the clerk's address, by e-mail
    subs = (await client.get("/api/subscriptions", params={"agreement": agreement["id"]})).json()
    assert [(s["channel"], s["target"]) for s in subs] == [("email", clerk.email)]
    # following twice is refused, in Swedish
    twice = await _post(browser, "/me/follows", scope="agreement", key=str(agreement["id"]))
    assert twice.status_code == 409 and "prenumererar redan" in twice.text

    # when the clerk stops following
    stopped = await _post(
        browser, f"/me/follows/{follow['id']}/delete", next=f"/agreements/{agreement['id']}"
    )
    assert stopped.status_code == 303
    assert "Du följer den inte längre." in (await browser.get(stopped.headers["location"])).text
    assert [f["key"] for f in (await browser.get("/api/me/notifications")).json()["follows"]] == ["1401"]
    # and someone else's follow cannot be removed by id
    other = await make_user("viewer")
    made = await client.post(
        "/api/subscriptions", json={"channel": "email", "target": other.email, "agreement": agreement["id"]}
    )
    assert (await _post(browser, f"/me/follows/{made.json()['id']}/delete")).status_code == 404


async def test_a_clerk_unfollows_its_own_party_from_the_page_and_api_and_it_stays_unfollowed(
    client, anonymous_client, make_user
):
    clerk = await make_user("clerk", party="1401", password=PASSWORD)
    browser = anonymous_client
    await _sign_in(browser, clerk)
    # given the clerk follows its party by default: the page offers to stop it
    page = await browser.get("/parties/1401")
    assert 'action="/me/follows/parties/1401/delete"' in page.text
    assert "som nämndsekreterare för parten" in page.text
    assert "/me/follows/parties/1401/delete" in (await browser.get("/me/notifications")).text
    # following it again is refused: it does already
    again = await _post(browser, "/me/follows", scope="party", key="1401")
    assert again.status_code == 409 and "Du följer redan" in again.text
    # when it stops following from the page
    stopped = await _post(browser, "/me/follows/parties/1401/delete", next="/parties/1401")
    assert (stopped.status_code, stopped.headers["location"]) == (303, "/parties/1401?sparat=foljer-inte")
    # then the page offers to follow, the API lists nothing, and the sweep's recipients leave it out
    assert '<button type="submit">Följ</button>' in (await browser.get("/parties/1401")).text
    assert (await browser.get("/api/me/notifications")).json()["follows"] == []
    assert (await _post(browser, "/me/follows/parties/1401/delete")).status_code == 404
    # and a role granted again for the party does not bring it back
    answer = await client.post(f"/api/users/{clerk.id}/roles", json={"role": "clerk", "party": "1401"})
    assert answer.status_code in (201, 409), answer.text
    assert (await browser.get("/api/me/notifications")).json()["follows"] == []
    # when it follows again (API), it follows by default again, with no subscription
    headers = {"x-csrftoken": browser.cookies[CSRF_COOKIE]}
    back = await browser.post("/api/me/follows", json={"party": "1401"}, headers=headers)
    assert back.status_code == 201 and (back.json()["default"], back.json()["id"]) == (True, None)
    subs = (await client.get("/api/subscriptions", params={"party": "1401"})).json()
    assert clerk.email not in {s["target"] for s in subs}
    # and stops again through the API
    assert (await browser.delete("/api/me/follows/parties/1401", headers=headers)).status_code == 204
    assert (await browser.get("/api/me/notifications")).json()["follows"] == []
    gone = await browser.delete("/api/me/follows/parties/1401", headers=headers)
    assert gone.status_code == 404 and "Du följer inte" in gone.json()["detail"]


async def test_bad_follow_input_gets_a_swedish_4xx(anonymous_client, make_user):
    user = await make_user("viewer", password=PASSWORD)
    await _sign_in(anonymous_client, user)
    assert (await _post(anonymous_client, "/me/follows", scope="galaxy", key="1")).status_code == 422
    answer = await _post(anonymous_client, "/me/follows", scope="agreement", key="abc")
    assert answer.status_code == 422 and "är inget id för en överenskommelse" in answer.text
    answer = await _post(anonymous_client, "/me/follows", scope="party", key="9999")
    assert answer.status_code == 422 and "Det finns ingen part med koden" in answer.text
    api = await anonymous_client.post(
        "/api/me/follows",
        json={"agreement": 1, "party": "1401"},
        headers={"x-csrftoken": anonymous_client.cookies[CSRF_COOKIE]},
    )
    assert api.status_code == 422 and "precis en av" in api.json()["detail"]


async def test_preferences_are_chosen_on_the_page_and_refused_when_unknown(anonymous_client, make_user):
    user = await make_user("viewer", password=PASSWORD)
    await _sign_in(anonymous_client, user)
    saved = await anonymous_client.post(
        "/me/notifications",
        data={
            "frequency": "weekly",
            "kinds": ["notice", "warning"],
            CSRF_FIELD: anonymous_client.cookies[CSRF_COOKIE],
        },
        follow_redirects=False,
    )
    assert (saved.status_code, saved.headers["location"]) == (303, "/me/notifications?sparat=aviseringar")
    prefs = await preferences.get_preference(user.email)
    assert (prefs.frequency, prefs.kinds, prefs.unsubscribed) == ("weekly", ["notice", "warning"], False)
    page = await anonymous_client.get(saved.headers["location"])
    assert "Dina val är sparade." in page.text
    assert 'value="weekly" checked' in page.text and 'value="notice" checked' in page.text
    bad = await _post(anonymous_client, "/me/notifications", frequency="hourly")
    assert bad.status_code == 422 and "Okänt val av hur ofta" in bad.text and "hourly" in bad.text
    assert 'aria-invalid="true"' in bad.text
    api = await anonymous_client.put(
        "/api/me/notifications",
        json={"frequency": "daily", "kinds": ["gossip"]},
        headers={"x-csrftoken": anonymous_client.cookies[CSRF_COOKIE]},
    )
    assert api.status_code == 422 and "Okända slag: gossip" in api.json()["detail"]


async def test_what_happened_is_off_by_default_and_switched_on_and_off_on_the_page(
    anonymous_client, make_user
):
    user = await make_user("viewer", password=PASSWORD)
    await _sign_in(anonymous_client, user)
    page = await anonymous_client.get("/me/notifications")
    assert '<input type="checkbox" id="events" name="events" value="on" aria-describedby' in page.text
    assert (await preferences.get_preference(user.email)).events is False
    # switched on: the moment is kept, and saving again does not move it
    await _post(anonymous_client, "/me/notifications", frequency="daily", events="on")
    first = await Preference.select(Preference.events_from).where(Preference.email == user.email).first()
    assert first["events_from"] is not None
    await _post(anonymous_client, "/me/notifications", frequency="weekly", events="on")
    again = await Preference.select(Preference.events_from).where(Preference.email == user.email).first()
    assert again == first
    page = await anonymous_client.get("/me/notifications")
    assert 'id="events" name="events" value="on" checked' in page.text
    # and off again when the box is left empty; the API says the same
    await _post(anonymous_client, "/me/notifications", frequency="weekly")
    assert (await anonymous_client.get("/api/me/notifications")).json()["preferences"]["events"] is False
    api = await anonymous_client.put(
        "/api/me/notifications",
        json={"frequency": "daily", "events": True},
        headers={"x-csrftoken": anonymous_client.cookies[CSRF_COOKIE]},
    )
    assert api.status_code == 200 and api.json()["events"] is True


async def test_the_unsubscribe_link_works_with_one_click_without_a_session_and_a_forged_one_is_refused(
    anonymous_client,
):
    address = "anna.berg@harryda.example"
    token = make_token(address)
    assert read_token(token) == address
    # the page, without a sign-in, names the address and offers to stop
    shown = await anonymous_client.get(f"/unsubscribe/{token}")
    assert shown.status_code == 200 and "Avsluta all e-post från samverkan" in shown.text
    assert shown.headers["cache-control"] == "no-store"
    # a mail client's RFC 8058 one-click POST: no cookie, no CSRF token
    anonymous_client.cookies.clear()
    events = await AuditEvent.count()
    done = await anonymous_client.post(
        f"/unsubscribe/{token}",
        content=b"List-Unsubscribe=One-Click",
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert done.status_code == 200 and "får ingen mer e-post" in done.text
    assert (await preferences.get_preference(address)).unsubscribed
    assert await AuditEvent.count() == events + 1
    # and again (a second click) is harmless
    assert (
        await anonymous_client.post(f"/unsubscribe/{token}", data={"action": "unsubscribe"})
    ).status_code == 200
    # undone from the same page
    back = await anonymous_client.post(f"/unsubscribe/{token}", data={"action": "resubscribe"})
    assert back.status_code == 200 and "får e-post från samverkan igen" in back.text
    assert not (await preferences.get_preference(address)).unsubscribed
    # a forged token (another address with this one's signature, or a made-up one) is refused
    encoded, signature = token.split(".")
    other = make_token("eva@harryda.example").split(".")[0]
    for forged in (f"{other}.{signature}", f"{encoded}.{signature[:-2]}AA", "inte-en-token", f"{encoded}."):
        refused = await anonymous_client.post(f"/unsubscribe/{forged}", data={"action": "unsubscribe"})
        assert refused.status_code == 404, forged
        assert "Länken för att avsluta e-post är inte giltig" in refused.text
    assert not (await preferences.get_preference("eva@harryda.example")).unsubscribed
