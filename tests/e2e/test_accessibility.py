"""axe-core over every page in Chromium: no violation of serious or critical impact.

axe comes from the PyPI package axe-playwright-python (a dev dependency), which bundles
axe-core's axe.min.js: `pip install -e .[dev]` brings it, with nothing vendored here. Each page
is also saved as a full-page screenshot (SAMVERKAN_SCREENSHOTS, default /tmp/samverkan-screens)
for a person to look at.
"""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from documents import render
from tests.e2e.data import agreement, decide, sign_in, upload, user

BLOCKING = ("serious", "critical")
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]}
}


def _violations(page) -> list[str]:
    results = Axe().run(page, options=AXE_OPTIONS).response
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in results["violations"]
        if v["impact"] in BLOCKING
    ]


@pytest.fixture(scope="module")
def sample(server) -> dict:
    with server.api() as api:
        made = agreement(api, title="Hälso- och sjukvårdsavtal för axe")
        decide(api, made["id"], "1401", paragraph="§ 77", case_number="KS 2022/123")
        decide(api, made["id"], "1402", outcome="referred_back", anslag_date=None, meeting_date="2022-04-20")
        # an annex the decision form offers to tick, and a proposal in Partille's row
        api.post(
            "/api/agreements",
            json={
                "structure": "vastra-gotaland",
                "kind": "bilaga",
                "title": "Bilaga för axe",
                "parent_id": made["id"],
            },
        ).raise_for_status()
        api.post(
            f"/api/agreements/{made['id']}/parties/1402/proposals",
            json={"body": "Kommunstyrelsen", "meeting_date": "2022-05-02", "paragraph": "§ 61"},
        ).raise_for_status()
        # GR's own recommendation (the table groups the parties by kommunalförbund), and an older
        # agreement that this one replaces (both pages name the other)
        api.post(
            f"/api/agreements/{made['id']}/group-recommendations",
            json={"group": "gr", "taken_on": "2022-03-18", "body": "Förbundsstyrelsen", "paragraph": "§ 356"},
        ).raise_for_status()
        replaced = agreement(api, title="Äldre hälso- och sjukvårdsavtal för axe")
        api.put(
            f"/api/agreements/{made['id']}/replaces", json={"replaces": [replaced["id"]]}
        ).raise_for_status()
        secretariat = user(api, "secretariat", structure="vastra-gotaland")
        # documents: the agreement's text, and a revision whose text differs, to compare
        text = [
            ["1 Parter", "Regionen och kommunerna i länet."],
            ["2 Uppsägning", "Sex månaders uppsägningstid."],
        ]
        upload(api, made["id"], "avtal.pdf", render.pdf(text), "application/pdf", title="Avtalstext")
        revision = api.post(f"/api/agreements/{made['id']}/versions").json()
        revised = [
            text[0] + ["Ett nytt stycke om samverkan."],
            ["2 Uppsägning", "Tre månaders uppsägningstid."],
        ]
        upload(api, revision["id"], "avtal-2.docx", render.docx(revised), DOCX, title="Reviderad avtalstext")
    return {
        "id": made["id"],
        "revision": revision["id"],
        "replaced": replaced["id"],
        "secretariat": secretariat,
    }


PAGES = {
    "start": "/",
    "overenskommelse": "/agreements/{id}",
    "ersatt-overenskommelse": "/agreements/{replaced}",
    "part": "/parties/1401",
    "part-med-forslag": "/parties/1402",  # Partille's proposal, with its correction form
    "strukturer": "/structures",
    "matris": "/structures/vastra-gotaland",
    "sok": "/search?q=sjukvård",
    "sok-i-text": "/search?q=uppsägningstid",
    "jamforelse": "/agreements/{revision}/comparison",
    "logga-in": "/login",
    "saknas": "/agreements/999999",
    "samverkansbrist-sok": "/samverkansbrister?q=axe",
    "samverkansbrist-formular": "/samverkansbrister?agreement={id}",
    "samverkansbrist-analys": "/agreements/{id}/samverkansbrister/analys",
    "samverkansbrist-analys-struktur": "/structures/vastra-gotaland/samverkansbrister/analys",
}


@pytest.mark.parametrize("name", list(PAGES))
def test_a_page_read_without_sign_in_has_no_serious_accessibility_violation(page, sample, screenshots, name):
    page.goto(PAGES[name].format(**sample))
    page.screenshot(path=str(screenshots / f"{name}.png"), full_page=True)
    assert _violations(page) == []


@pytest.mark.parametrize("name", ["overenskommelse", "part", "part-med-forslag"])
def test_a_page_with_its_forms_has_no_serious_accessibility_violation(page, sample, screenshots, name):
    sign_in(page, sample["secretariat"], then=PAGES[name].format(**sample))
    page.screenshot(path=str(screenshots / f"{name}-inloggad.png"), full_page=True)
    assert _violations(page) == []


def test_a_form_with_errors_has_no_serious_accessibility_violation(page, sample, screenshots):
    sign_in(page, sample["secretariat"], then=f"/agreements/{sample['id']}")
    page.get_by_role("button", name="Spara beslutet").click()  # nothing filled in
    page.locator(".error-summary").wait_for()
    page.screenshot(path=str(screenshots / "formularfel.png"), full_page=True)
    assert _violations(page) == []


def test_a_proposal_correction_with_errors_has_no_serious_accessibility_violation(page, sample, screenshots):
    sign_in(page, sample["secretariat"], then="/parties/1402")
    page.get_by_text("Rätta förslaget från Kommunstyrelsen").click()
    page.get_by_role("textbox", name="Organ").last.fill("Kommunfullmäktige")
    page.get_by_role("button", name="Spara rättelsen").click()
    page.locator(".error-summary").wait_for()
    page.screenshot(path=str(screenshots / "forslag-rattelse-fel.png"), full_page=True)
    assert _violations(page) == []


def test_the_question_on_a_repeat_decision_has_no_serious_accessibility_violation(page, sample, screenshots):
    # Härryda (1401) has adopted: a second adoption makes the form ask what it is
    sign_in(page, sample["secretariat"], then=f"/agreements/{sample['id']}")
    form = page.locator("form#beslut")
    form.get_by_label("Part", exact=True).select_option("1401")
    form.get_by_label("Organ").fill("Kommunfullmäktige")
    form.get_by_label("Sammanträdesdatum").fill("2022-09-26")
    form.get_by_label("Beslut", exact=True).select_option("adopted")
    form.get_by_role("button", name="Spara beslutet").click()
    page.locator("#decision-repeat").wait_for()
    page.screenshot(path=str(screenshots / "upprepat-beslut.png"), full_page=True)
    assert _violations(page) == []


def test_the_upload_form_with_an_error_has_no_serious_accessibility_violation(page, sample, screenshots):
    sign_in(page, sample["secretariat"], then=f"/agreements/{sample['id']}")
    page.get_by_role("button", name="Ladda upp").click()  # no file chosen
    page.locator(".error-summary").wait_for()
    assert page.get_by_text("Välj en fil att ladda upp").first.is_visible()
    page.screenshot(path=str(screenshots / "dokument-formularfel.png"), full_page=True)
    assert _violations(page) == []


def test_my_calendar_page_has_no_serious_accessibility_violation_and_fits_a_phone(page, sample, screenshots):
    sign_in(page, sample["secretariat"], then="/me/calendar")
    page.screenshot(path=str(screenshots / "min-kalender.png"), full_page=True)
    assert _violations(page) == []
    # with the new link shown (a long URL) and the forms to replace and switch it off
    with page.expect_navigation():
        page.get_by_role("button", name="Skapa min kalenderlänk").click()
    assert page.get_by_role("button", name="Stäng av kalenderlänken").is_visible()
    page.screenshot(path=str(screenshots / "min-kalender-ny-lank.png"), full_page=True)
    assert _violations(page) == []
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(screenshots / "min-kalender-mobil.png"), full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"my calendar scrolls sideways on a phone ({width}px)"


def test_my_notifications_and_the_unsubscribe_page_have_no_serious_accessibility_violation(
    page, sample, screenshots
):
    from notifications.unsubscribe import make_token

    sign_in(page, sample["secretariat"], then=f"/agreements/{sample['id']}")
    page.get_by_role("button", name="Följ", exact=True).click()  # something to list
    page.wait_for_url("**sparat=foljer**")
    page.goto("/me/notifications")
    page.screenshot(path=str(screenshots / "mina-aviseringar.png"), full_page=True)
    assert _violations(page) == []
    page.set_viewport_size({"width": 390, "height": 844})
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"Mina aviseringar scrolls sideways on a phone ({width}px)"
    page.set_viewport_size({"width": 1280, "height": 900})
    # the unsubscribe page, before and after, signed out as a recipient would be
    page.context.clear_cookies()
    page.goto(f"/unsubscribe/{make_token('mottagare@harryda.example')}")
    page.screenshot(path=str(screenshots / "avsluta-epost.png"), full_page=True)
    assert _violations(page) == []
    page.get_by_role("button", name="Avsluta all e-post från samverkan").click()
    page.get_by_role("button", name="Få e-post igen").wait_for()
    page.screenshot(path=str(screenshots / "avsluta-epost-klart.png"), full_page=True)
    assert _violations(page) == []


def test_the_pages_fit_a_phone(browser, server, sample, screenshots):
    context = browser.new_context(base_url=server.url, viewport={"width": 390, "height": 844}, is_mobile=True)
    phone = context.new_page()
    for name in PAGES:
        phone.goto(PAGES[name].format(**sample))
        phone.screenshot(path=str(screenshots / f"{name}-mobil.png"), full_page=True)
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{name} scrolls sideways on a phone ({width}px)"
    context.close()


@pytest.fixture(scope="module")
def round_sample(server, sample) -> dict:
    """A survey round on the sample agreement, with Härryda's answer submitted."""
    with server.api() as api:
        body = {
            "agreement_id": sample["id"],
            "kind": "enkat",
            "title": "Enkät för axe",
            "reply_by": "2026-12-24",  # julafton: shown as a day off
            "instructions": "Svara för er kommun.",
            "questions": [
                {"kind": "choice", "text": "Hur fungerar SIP?", "options": ["Bra", "Delvis", "Dåligt"]},
                {"kind": "scale", "text": "Hur tydligt är ansvaret?"},
                {"kind": "yes_no", "text": "Behövs en revidering?"},
                {"kind": "number", "text": "Antal utskrivningar"},
                {"kind": "text", "text": "Vad behöver förbättras?"},
            ],
        }
        made = api.post("/api/rounds", json=body)
        assert made.status_code == 201, made.text
        round_id = made.json()["id"]
        answer = {
            "state": "submitted",
            "answers": {"q1": "Delvis", "q2": 3, "q3": "ja", "q4": "12", "q5": "Mer SIP."},
        }
        assert api.put(f"/api/rounds/{round_id}/answers/1401", json=answer).status_code == 200
        clerk = user(api, "clerk", party="1402")
        # files with their "Ta bort" buttons: the round's material, and Partille's draft's
        for url in (f"/api/rounds/{round_id}/files", f"/api/rounds/{round_id}/answers/1402/files"):
            pdf = {"file": ("Underlag.pdf", render.pdf([["Underlag för axe"]]), "application/pdf")}
            assert api.post(url, files=pdf, data={"title": ""}).status_code == 201
        # a follow-up, which shows the samverkansbrister of its period
        report = {
            "agreement_id": sample["id"],
            "party_codes": ["1401", "14"],
            "occurred_on": "2026-11-02",
            "what_happened": "Kallelsen till SIP-mötet kom aldrig fram.",
            "consequence": "Insatserna dröjde två dagar.",
            "category": "Samordnad individuell plan (SIP)",
        }
        assert api.post("/api/cases", json=report).status_code == 201
        follow_up = {"agreement_id": sample["id"], "kind": "uppfoljning", "title": "Uppföljning för axe"}
        made = api.post("/api/rounds", json={**follow_up, "reply_by": "2026-12-24"})
        assert made.status_code == 201, made.text
    return {"round": round_id, "clerk": clerk, "follow_up": made.json()["id"]}


def test_the_round_pages_have_no_serious_accessibility_violation(page, sample, round_sample, screenshots):
    page.goto(f"/rounds/{round_sample['round']}")
    page.screenshot(path=str(screenshots / "runda.png"), full_page=True)
    assert _violations(page) == []
    page.goto(f"/rounds/{round_sample['follow_up']}")
    page.locator("#brister-kategori").wait_for()
    page.screenshot(path=str(screenshots / "uppfoljning.png"), full_page=True)
    assert _violations(page) == []
    sign_in(page, sample["secretariat"], then=f"/rounds/{round_sample['round']}")
    page.screenshot(path=str(screenshots / "runda-inloggad.png"), full_page=True)
    assert _violations(page) == []
    page.locator("#edit-title").fill("")
    page.get_by_role("button", name="Spara ändringarna").click()  # a round needs its title
    page.locator(".error-summary").wait_for()
    page.screenshot(path=str(screenshots / "runda-andra-fel.png"), full_page=True)
    assert _violations(page) == []
    page.goto(f"/agreements/{sample['id']}/rounds/new")
    page.screenshot(path=str(screenshots / "ny-runda.png"), full_page=True)
    assert _violations(page) == []
    page.get_by_role("button", name="Öppna rundan").click()  # nothing filled in
    page.locator(".error-summary").wait_for()
    assert _violations(page) == []
    page.get_by_label("En grupp av parter", exact=False).check()  # and no group chosen
    page.get_by_role("button", name="Öppna rundan").click()
    page.locator("#round-group-error").wait_for()
    page.screenshot(path=str(screenshots / "ny-runda-grupp-fel.png"), full_page=True)
    assert _violations(page) == []


def test_the_answer_form_with_and_without_errors_has_no_serious_accessibility_violation(
    page, round_sample, screenshots
):
    sign_in(page, round_sample["clerk"], then=f"/rounds/{round_sample['round']}/answers/1402")
    page.screenshot(path=str(screenshots / "svar.png"), full_page=True)
    assert _violations(page) == []
    page.get_by_role("button", name="Lämna in svaret").click()  # nothing answered
    page.locator(".error-summary").wait_for()
    page.screenshot(path=str(screenshots / "svar-fel.png"), full_page=True)
    assert _violations(page) == []
    page.set_viewport_size({"width": 390, "height": 844})
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the answer form scrolls sideways on a phone ({width}px)"


def test_the_samverkansbrist_pages_have_no_serious_accessibility_violation(page, sample, screenshots):
    """The form with its errors, the thank-you page with the status link, the status page, and the
    handling page of the secretariat (with the forms to send and close)."""
    page.goto(f"/samverkansbrister?agreement={sample['id']}")
    page.get_by_role("button", name="Skicka rapporten").click()  # nothing filled in
    page.locator(".error-summary").wait_for()
    page.screenshot(path=str(screenshots / "samverkansbrist-fel.png"), full_page=True)
    assert _violations(page) == []
    page.get_by_label("Härryda").check()
    page.get_by_label("När hände det?").fill("2026-11-10")
    page.get_by_label("Kategori").select_option("Informationsöverföring")
    page.get_by_label("Vad hände").fill("Ingen information vid utskrivningen.")
    page.get_by_label("Vad det innebar för personen").fill("Fick vänta.")
    page.get_by_role("button", name="Skicka rapporten").click()
    page.get_by_role("heading", name="Tack för din rapport").wait_for()
    assert _violations(page) == []
    page.goto(page.locator("#status-link").get_attribute("href"))
    page.screenshot(path=str(screenshots / "samverkansbrist-status.png"), full_page=True)
    assert _violations(page) == []
    sign_in(page, sample["secretariat"], then=f"/agreements/{sample['id']}/samverkansbrister")
    assert _violations(page) == []
    page.locator("td a").first.click()
    page.get_by_role("button", name="Ta rapporten för granskning").click()
    page.wait_for_url("**sparat=tagen")
    page.screenshot(path=str(screenshots / "samverkansbrist-handlaggning.png"), full_page=True)
    assert _violations(page) == []
