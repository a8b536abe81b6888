"""A round of a whole structure in the browser: Örebro's secretariat opens the yearly report to
the structure from the structure's page (no agreement), a clerk finds it on the start page and
answers for its party, the overview counts it, and the sweep on the reminder day reminds the 12
parties that have not answered. Every page on the way is axe-clean."""

from __future__ import annotations

import uuid

from tests.e2e.data import ok, sign_in, user
from tests.e2e.test_accessibility import _violations

REPLY_BY = "2026-12-15"  # the server's day is 2026-11-23 (tests/e2e/conftest.py)
REMINDER_DAY = "2026-12-08"  # a week ahead: round_reply's first lead
TITLE = f"Årlig redovisning 2026 {uuid.uuid4().hex[:6]}"


def _round_reply_recipients(api, domain: str) -> set[str]:
    """The round reminders' addresses of this test's domain, newest rows first, page by page."""
    found: set[str] = set()
    for offset in range(0, 5000, 500):
        page = ok(api.get("/api/deliveries", params={"limit": 500, "offset": offset}))
        found |= {
            r["recipient"] for r in page["items"] if r["kind"] == "round_reply" and r["agreement_id"] is None
        }
        if offset + 500 >= page["total"]:
            break
    return {r for r in found if r.endswith(domain)}


def test_the_secretariat_opens_a_round_of_the_structure_and_a_clerk_answers(browser, server, screenshots):
    domain = f"e2e{uuid.uuid4().hex[:8]}.example"
    with server.api() as api:
        codes = sorted(
            p["code"]
            for p in ok(api.get("/api/parties", params={"structure": "orebro", "limit": 100}))["items"]
        )
        assert len(codes) == 13
        contacts = {
            code: ok(api.post(f"/api/parties/{code}/contacts", json={"email": f"reg{code}@{domain}"}))["id"]
            for code in codes
        }
        secretariat = user(api, "secretariat", structure="orebro")
        answering = "1884"
        clerk = user(api, "clerk", party=answering)
        party_name = ok(api.get(f"/api/parties/{answering}"))["name"]
    try:
        context = browser.new_context(base_url=server.url, locale="sv-SE")
        page = context.new_page()
        # the secretariat opens the round from the structure's page
        sign_in(page, secretariat, then="/structures/orebro")
        assert _violations(page) == []
        page.get_by_role("link", name="Öppna en runda för hela strukturen").click()
        page.get_by_role("button", name="Öppna rundan").click()  # nothing filled in: errors beside the fields
        page.locator(".error-summary").wait_for()
        assert _violations(page) == []
        page.get_by_label("Vad gäller rundan?").select_option("arlig_redovisning")
        page.get_by_label("Rubrik", exact=True).fill(TITLE)
        page.get_by_label("Sista svarsdag").fill(REPLY_BY)
        page.locator("#round-question_text1").fill("Antal samordnade individuella planer under året")
        page.locator("#round-question_kind1").select_option("number")
        page.get_by_role("button", name="Öppna rundan").click()
        page.wait_for_url("**/rounds/*?sparat=runda-oppnad")
        round_path = page.url.split("?")[0].removeprefix(server.url)
        assert "0 av 13" in page.locator("#besvarade").text_content()
        page.screenshot(path=str(screenshots / "strukturrunda.png"), full_page=True)
        assert _violations(page) == []
        context.close()

        # a clerk finds it on the start page ("what we must answer") and answers for its party
        context = browser.new_context(base_url=server.url, locale="sv-SE")
        page = context.new_page()
        sign_in(page, clerk, then="/")
        assert _violations(page) == []
        page.get_by_role("link", name=TITLE).first.click()
        page.wait_for_url(f"**{round_path}")
        page.get_by_role("link", name=f"Svara för {party_name}").click()
        page.wait_for_url(f"**{round_path}/answers/{answering}")
        assert _violations(page) == []
        page.locator("#answer-q1").fill("37")
        page.get_by_role("button", name="Lämna in svaret").click()
        page.wait_for_url("**sparat=svar-inlamnat")
        assert page.get_by_role("status").is_visible()
        context.close()

        reader = browser.new_context(base_url=server.url, locale="sv-SE")
        page = reader.new_page()
        page.goto(round_path)
        assert "1 av 13" in page.locator("#besvarade").text_content()
        assert "Inlämnat" in page.locator(f'tr[data-party="{answering}"]').text_content()
        page.goto("/structures/orebro")
        assert TITLE in page.locator('section[aria-labelledby="strukturens-rundor"]').text_content()
        reader.close()

        with server.api() as api:
            # the sweep on the reminder day reminds the 12 parties that have not answered
            ok(api.post("/api/admin/sweep", json={"as_of": REMINDER_DAY}))
            assert _round_reply_recipients(api, domain) == {
                f"reg{c}@{domain}" for c in codes if c != answering
            }
    finally:
        with server.api() as api:
            for code, contact_id in contacts.items():
                api.delete(f"/api/parties/{code}/contacts/{contact_id}")
