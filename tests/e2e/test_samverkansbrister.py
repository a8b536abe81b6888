"""A samverkansbrist from the report form to the analysis, in Chromium: a member of staff reports a
failure under Västra Götaland's health-care agreement (a personnummer in the text is refused, then
the report is accepted) and gets the acknowledgement with the status link; the secretariat sends
it to two parties, one answers, the secretariat closes it, the reporter gets the closing message;
the agreement's analysis shows the report.

The e-mails go through the outbox to a real SMTP server (aiosmtpd); the test runs the delivery
task's function for the pending rows, as a worker would."""

from __future__ import annotations

import asyncio
import email
import email.policy
import os
import re
import socket
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.e2e.data import agreement, sign_in, user

WHAT = "Hemsjukvården fick ingen kallelse till SIP-mötet före utskrivningen."


class Box:
    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 OK"

    def text(self, subject_part: str) -> str:
        found = [m for m in self.messages if subject_part in str(m["Subject"])]
        assert len(found) == 1, [str(m["Subject"]) for m in self.messages]
        return found[0].get_body(("plain",)).get_content()


@pytest.fixture
def smtp(server):
    from aiosmtpd.controller import Controller

    from core.settings import get_settings

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    box = Box()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    saved = {k: os.environ.get(k) for k in ("SMTP_HOST", "SMTP_PORT", "BASE_URL")}
    os.environ.update({"SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(port), "BASE_URL": server.url})
    get_settings.cache_clear()
    yield box
    controller.stop()
    for k, v in saved.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v
    get_settings.cache_clear()


def _deliver_pending(agreement_id: int) -> list[str]:
    """Run the delivery task's function for the agreement's pending e-mails."""
    from cases.delivery import deliver
    from cases.tables import CaseMessage

    async def run() -> list[str]:
        rows = await CaseMessage.raw(
            "SELECT m.id FROM case_message m JOIN failure_report r ON r.id = m.report "
            "WHERE m.status = 'pending' AND r.agreement = {} ORDER BY m.id",
            agreement_id,
        )
        return [(await deliver(r["id"])).value for r in rows]

    # Playwright's sync API keeps an event loop running in this thread: deliver from another one
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, run()).result()


def test_a_failure_is_reported_handled_answered_closed_and_counted(browser, server, page, smtp, screenshots):
    with server.api() as api:
        made = agreement(api, title="Hälso- och sjukvårdsavtal Västra Götaland (brister)")
        secretariat = user(api, "secretariat", structure="vastra-gotaland")
        clerk = user(api, "clerk", party="1401")
        contact = api.post("/api/parties/1401/contacts", json={"email": "registrator@harryda.example"})
        assert contact.status_code in (201, 409), contact.text

    # a member of staff, without an account, finds the agreement and reports
    page.goto("/")
    page.get_by_role("link", name="Rapportera samverkansbrist").click()
    page.get_by_label("Vilken överenskommelse gäller det?").fill("Västra Götaland (brister)")
    page.get_by_role("button", name="Sök").click()
    page.get_by_role("link", name=made["title"]).click()
    assert page.get_by_text("ersätter inte").is_visible()
    page.get_by_label("Härryda").check()
    page.get_by_label("Västra Götalandsregionen").check()
    page.get_by_label("När hände det?").fill("2026-11-10")
    page.get_by_label("Kategori").select_option("Samordnad individuell plan (SIP)")
    page.get_by_label("Vad hände").fill(f"{WHAT} Gäller 19121212-1212.")
    page.get_by_label("Vad det innebar för personen").fill("Personen fick vänta två dagar på insatser.")
    page.get_by_label("Din e-postadress för återkoppling").fill("anna.svensson@vard.example")
    page.get_by_role("button", name="Skicka rapporten").click()

    summary = page.locator(".error-summary")
    summary.wait_for()
    assert "”19121212-1212”" in summary.text_content() and "Ta bort det" in summary.text_content()
    assert page.get_by_label("Vad hände").get_attribute("aria-invalid") == "true"
    page.screenshot(path=str(screenshots / "samverkansbrist-nekad.png"), full_page=True)
    page.get_by_label("Vad hände").fill(WHAT)
    page.get_by_role("button", name="Skicka rapporten").click()
    page.get_by_role("heading", name="Tack för din rapport").wait_for()
    status_link = page.locator("#status-link").get_attribute("href")

    # the acknowledgement carries the same secret link
    assert _deliver_pending(made["id"]) == ["sent"]
    assert status_link in smtp.text("Tack för din rapport")
    page.goto(status_link)
    assert "Mottagen" in page.locator("#case-state").text_content()

    # the secretariat takes it and sends it to Härryda and the region
    handler = browser.new_context(base_url=server.url, locale="sv-SE").new_page()
    sign_in(handler, secretariat, then=f"/agreements/{made['id']}/samverkansbrister")
    handler.locator("td a").first.click()
    case_url = handler.url
    assert "anna.svensson@vard.example" in handler.content()
    handler.get_by_role("button", name="Ta rapporten för granskning").click()
    handler.wait_for_url("**sparat=tagen")
    assert handler.get_by_label("Härryda").is_checked()
    assert handler.get_by_label("Västra Götalandsregionen").is_checked()
    handler.get_by_role("button", name="Skicka till parterna").click()
    handler.wait_for_url("**sparat=skickad*")
    assert "Skickad till berörda parter" in handler.locator("#case-state").text_content()

    # Härryda's clerk answers in the product; the region does not (yet)
    answering = browser.new_context(base_url=server.url, locale="sv-SE").new_page()
    sign_in(answering, clerk, then=case_url.removeprefix(server.url))
    assert "anna.svensson@vard.example" not in answering.content()
    answering.get_by_label("Härrydas beskrivning av det som hände").fill("Kallelsen gick till fel enhet.")
    answering.get_by_role("button", name="Spara svaret").click()
    answering.wait_for_url("**sparat=svar")
    assert "Kallelsen gick till fel enhet." in answering.locator('tr[data-party="1401"]').text_content()

    # the secretariat closes it
    handler.reload()
    handler.get_by_label("Slutsats").fill("Rutinen för kallelser till SIP förtydligas i överenskommelsen.")
    handler.get_by_label("Åtgärd").select_option(label="Förtydligande i överenskommelsen")
    handler.get_by_role("button", name="Avsluta rapporten").click()
    handler.wait_for_url("**sparat=avslutad")
    handler.screenshot(path=str(screenshots / "samverkansbrist-avslutad.png"), full_page=True)

    # the reporter hears of each change, the closing last, and reads the conclusion on the status page
    assert set(_deliver_pending(made["id"])) == {"sent"}
    closing = smtp.text("är avslutad")
    assert "Förtydligande i överenskommelsen" in closing and status_link in closing
    assert WHAT not in closing
    page.goto(status_link)
    assert "Avslutad" in page.locator("#case-state").text_content()
    assert page.get_by_text("Rutinen för kallelser till SIP förtydligas").is_visible()

    # the agreement's analysis shows the report, counts only
    page.goto(f"/agreements/{made['id']}/samverkansbrister/analys")
    total = page.locator("#case-total").text_content()
    assert re.search(r"1\s+rapport: 0 öppna, 1 avslutad", total), total
    assert "Samordnad individuell plan (SIP)" in page.locator("#tabell-kategori").text_content()
    assert WHAT not in page.content()
    page.screenshot(path=str(screenshots / "samverkansbrister-analys.png"), full_page=True)
