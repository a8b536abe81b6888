"""The personal calendar page: a signed-in person makes, replaces and switches off the link to the
feed of what their roles make them responsible for."""

from __future__ import annotations

import re

from api.security import CSRF_COOKIE, CSRF_FIELD
from tests.agreements import create_agreement, recommend

PASSWORD = "ett-långt-lösenord-för-kalendern"
FEED_LINK = re.compile(r'href="(http://testserver\.local(/feeds/me/svf_[A-Za-z0-9_-]{43}\.ics))"')


async def _sign_in(browser, user) -> None:
    await browser.get("/login")
    response = await browser.post(
        "/login",
        data={
            "email": user.email,
            "password": PASSWORD,
            "next": "/",
            CSRF_FIELD: browser.cookies[CSRF_COOKIE],
        },
        follow_redirects=False,
    )
    assert response.status_code == 303


async def _submit(browser, action: str):
    return await browser.post(action, data={CSRF_FIELD: browser.cookies[CSRF_COOKIE]}, follow_redirects=False)


async def test_a_clerk_makes_replaces_and_switches_off_their_calendar_link(
    client, anonymous_client, make_user
):
    # given a recommended agreement that Härryda has not decided, and Härryda's clerk signed in
    agreement = await create_agreement(client)
    await recommend(client, agreement["id"])
    clerk = await make_user("clerk", party="1401", password=PASSWORD)
    browser = anonymous_client
    await _sign_in(browser, clerk)

    # the page says what the calendar holds, offers to make it and shows no link yet
    empty = await browser.get("/me/calendar")
    assert empty.status_code == 200
    assert '<a href="/me/calendar" aria-current="page">Min kalender</a>' in empty.text
    assert 'Som registrator för <a href="/parties/1401">Härryda (1401)</a>' in empty.text
    assert "Du har ingen kalenderlänk ännu." in empty.text
    assert "Skapa min kalenderlänk" in empty.text and not FEED_LINK.search(empty.text)

    # when the clerk makes it, the answer shows both links, once, and is never cached
    made = await _submit(browser, "/me/calendar")
    assert made.status_code == 200
    assert made.headers["cache-control"] == "no-store"
    https, path = FEED_LINK.search(made.text).groups()
    assert f'href="webcal://testserver.local{path}"' in made.text
    assert f'value="{https}"' in made.text
    feed = await browser.get(path)
    assert feed.status_code == 200
    assert f"UID:agreement-{agreement['id']}-decision_due-1401@samverkan" in feed.text
    assert f"UID:agreement-{agreement['id']}-decision_due-1402@samverkan" not in feed.text
    again = await browser.get("/me/calendar")
    assert path not in again.text and "Du har en kalenderlänk sedan 23 november 2026." in again.text
    assert "Byt till en ny länk" in again.text and "Stäng av kalenderlänken" in again.text

    # replacing it gives a new link; the old one stops working
    rotated = await _submit(browser, "/me/calendar")
    new_path = FEED_LINK.search(rotated.text).group(2)
    assert new_path != path
    assert (await browser.get(path)).status_code == 404
    assert (await browser.get(new_path)).status_code == 200

    # switching it off stops the link, and says so
    off = await _submit(browser, "/me/calendar/revoke")
    assert (off.status_code, off.headers["location"]) == (303, "/me/calendar?sparat=kalender-av")
    after = await browser.get(off.headers["location"])
    assert "Din kalenderlänk är avstängd." in after.text and "Skapa min kalenderlänk" in after.text
    assert (await browser.get(new_path)).status_code == 404
    # and a second try (another tab) is told that there is nothing to switch off
    twice = await _submit(browser, "/me/calendar/revoke")
    assert twice.status_code == 404
    assert "Du har inget eget kalenderflöde." in twice.text and "Skapa min kalenderlänk" in twice.text


async def test_the_page_says_when_a_role_puts_nothing_in_the_calendar(anonymous_client, make_user):
    viewer = await make_user("viewer", password=PASSWORD)
    await _sign_in(anonymous_client, viewer)

    html = (await anonymous_client.get("/me/calendar")).text

    assert "Du har ingen roll med egna tidsfrister" in html


async def test_the_page_asks_a_reader_who_is_not_signed_in_to_sign_in(anonymous_client):
    response = await anonymous_client.get("/me/calendar")

    assert response.status_code == 401
    assert response.headers["content-type"].startswith("text/html")
    assert 'href="/login?next=/me/calendar"' in response.text
    assert "Min kalender" not in response.text
    refused = await anonymous_client.post("/me/calendar", data={}, follow_redirects=False)
    assert refused.status_code in (401, 403)
