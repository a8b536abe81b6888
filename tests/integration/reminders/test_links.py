"""The links in a reminder lead somewhere: followed against the running app without a sign-in
(PUBLIC_READ, the default), the agreement link opens its page and the calendar link its feed."""

from __future__ import annotations

import dataclasses
import re
from datetime import date

import pytest

from audit.trail import Actor
from core.settings import get_settings
from notifications import delivery
from notifications.delivery import Outcome, calendar_link
from notifications.digest_delivery import deliver_digest
from notifications.subscriptions import create_subscription
from notifications.sweep import sweep
from tests.integration.reminders.helpers import decide, deliveries, digests_of, make_agreement

# The first notice reminder of the helpers' agreement (test_outbox.py): six months before the
# notice deadline 2025-06-30.
AS_OF = date(2024, 12, 31)
SECRET = "länkarnas-hemliga-nyckel-0123456789"
BASE = "http://testserver.local"  # BASE_URL in tests/conftest.py, also the test client's own


@pytest.fixture
async def made(mailbox, webhooks):
    made = await make_agreement(parties=("18", "1880"))
    await decide(made, "18", outcome="adopted", meeting=date(2022, 9, 1), anslag=date(2022, 9, 8))
    await decide(made, "1880", outcome="adopted", meeting=date(2022, 9, 5), anslag=date(2022, 9, 12))
    await made.refresh(AS_OF)
    yield made
    await made.cleanup()


async def test_the_links_in_a_reminder_open_the_agreement_page_and_its_calendar_feed(
    made, mailbox, webhooks, anonymous_client
):
    # given a notice reminder e-mailed to a steward and posted to a webhook
    hook = f"/hooks/links/{made.domain}"
    await create_subscription(
        channel="webhook",
        target=webhooks.endpoint(hook, SECRET),
        agreement=made.agreement_id,
        kinds=["notice"],
        secret=SECRET,
        actor=Actor.system("test"),
    )
    await sweep(AS_OF)
    rows = [r for r in await deliveries(made.agreement_id) if r["kind"] == "notice"]
    webhook_row = next(r for r in rows if r["channel"] == "webhook")
    (digest,) = [g for g in await digests_of(made.agreement_id) if g["recipient"] == made.stewards[0]]
    assert await deliver_digest(digest["id"]) is Outcome.SENT
    assert await delivery.deliver(webhook_row["id"]) is Outcome.SENT
    (message,) = mailbox.received({digest["key"]})
    plain = message.get_body(("plain",)).get_content()
    agreement_url = re.search(r"^Överenskommelsen: (\S+)\r?$", plain, re.M)[1]
    calendar_url = re.search(r"^Kalenderflöde: (\S+)\r?$", plain, re.M)[1]
    html = message.get_body(("html",)).get_content()
    (call,) = webhooks.received(hook)

    # then the e-mail (both parts) and the webhook carry the same two links
    assert agreement_url == f"{BASE}/agreements/{made.agreement_id}"
    assert calendar_url.startswith(f"{BASE}/feeds/agreements/{made.agreement_id}.ics?token=svf_")
    assert f'href="{agreement_url}"' in html and f'href="{calendar_url}"' in html
    assert call.json["data"]["links"] == {"agreement": agreement_url, "calendar": calendar_url}
    # and, followed by someone not signed in, the agreement link opens the agreement's page
    page = await anonymous_client.get(agreement_url)
    assert page.status_code == 200, page.text
    assert page.headers["content-type"].startswith("text/html")
    assert f"Överenskommelse om påminnelser {made.domain[1:11]}" in page.text
    # and the calendar link the agreement's feed, with the deadline the reminder is about
    feed = await anonymous_client.get(calendar_url)
    assert feed.status_code == 200, feed.text
    assert feed.headers["content-type"].startswith("text/calendar")
    assert f"UID:agreement-{made.agreement_id}-notice-" in feed.text
    assert "DTSTART;VALUE=DATE:20250630" in feed.text


async def test_where_reading_needs_a_sign_in_the_calendar_link_goes_to_the_pages_calendar_section():
    # no feed token in an e-mail then: a signed-in reader finds the subscribe links on the page
    settings = dataclasses.replace(get_settings(), public_read=False)
    assert await calendar_link(7, settings) == f"{settings.base_url}/agreements/7#kalender"
