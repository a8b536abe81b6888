"""What secretariats and clerks do in the browser: sign in, log a decision, record a step, make
their own calendar link."""

from __future__ import annotations

import httpx

from tests.e2e.data import agreement, decide, sign_in, user


def _curve_says(page) -> str:
    return page.locator("#curve-d").text_content()


def test_a_clerk_signs_in_logs_a_decision_and_sees_the_table_and_the_curve_change(page, server):
    with server.api() as api:
        made = agreement(api)
        decide(api, made["id"], "1402")
        email = user(api, "clerk", party="1401")
    sign_in(page, email, then=f"/agreements/{made['id']}")
    assert "1 av 50 parter har antagit" in _curve_says(page)
    row = page.locator('tr[data-party="1401"]')
    assert "Ej beslutat" in row.text_content()
    # the clerk may log decisions for Härryda only
    options = page.locator("#decision-party_code option").all_text_contents()
    assert options == ["Välj", "Härryda"]

    form = page.locator("form#beslut")  # the proposal form beside it has the same labels
    form.get_by_label("Part", exact=True).select_option("1401")
    form.get_by_label("Organ").fill("Kommunfullmäktige")
    form.get_by_label("Sammanträdesdatum").fill("2022-06-13")
    form.get_by_label("Beslut", exact=True).select_option("adopted")
    form.get_by_label("Paragraf (§)").fill("§ 77")
    form.get_by_label("Diarienummer").fill("KS 2022/123")
    form.get_by_label("Justeringsdatum").fill("2022-06-16")
    form.get_by_label("Anslagsdatum").fill("2022-06-17")
    form.get_by_role("button", name="Spara beslutet").click()

    page.wait_for_url("**sparat=beslut**")
    assert page.get_by_role("status").filter(has_text="Beslutet är sparat.").is_visible()
    row = page.locator('tr[data-party="1401"]')
    assert "Antagen" in row.text_content() and "§ 77" in row.text_content()
    assert "KS 2022/123" in row.text_content() and "13 juni 2022" in row.text_content()
    assert "2 av 50 parter har antagit" in _curve_says(page)


def test_a_form_with_a_mistake_keeps_what_was_typed_and_focuses_the_error(page, server):
    with server.api() as api:
        made = agreement(api)
        email = user(api, "clerk", party="1401")
    sign_in(page, email, then=f"/agreements/{made['id']}")
    form = page.locator("form#beslut")
    form.get_by_label("Part", exact=True).select_option("1401")
    form.get_by_label("Organ").fill("Kommunfullmäktige")
    form.get_by_label("Sammanträdesdatum").fill("2022-06-13")
    form.get_by_label("Beslut", exact=True).select_option("adopted")
    form.get_by_label("Justeringsdatum").fill("2022-06-01")  # before the meeting
    form.get_by_role("button", name="Spara beslutet").click()
    page.wait_for_load_state()

    summary = page.locator(".error-summary")
    assert summary.is_visible()
    assert page.evaluate("document.activeElement.classList.contains('error-summary')")
    form = page.locator("form#beslut")
    field = form.get_by_label("Justeringsdatum")
    assert field.get_attribute("aria-invalid") == "true"
    assert field.input_value() == "2022-06-01"
    assert form.get_by_label("Organ").input_value() == "Kommunfullmäktige"
    # the summary's link takes the keyboard to the field
    summary.get_by_role("link").first.click()
    assert page.evaluate("document.activeElement.id") == "decision-justering_date"


def test_a_secretariat_records_the_recommendation(page, server):
    with server.api() as api:
        made = agreement(api, recommended=False)
        email = user(api, "secretariat", structure="vastra-gotaland")
    sign_in(page, email, then=f"/agreements/{made['id']}")
    assert page.locator("#antagande ~ form, #beslut").count() == 0  # no decisions before it
    page.get_by_label("Steg", exact=True).select_option(label="SRO rekommenderar parterna att anta")
    page.get_by_label("Datum", exact=True).fill("2022-02-24")
    page.get_by_label("Organ").first.fill("Styrgruppen för samverkan och ledning (SRO)")
    page.get_by_role("button", name="Registrera steget").click()

    page.wait_for_url("**sparat=steg**")
    assert (
        "SRO rekommenderar parterna att anta"
        in page.locator("#process ~ p strong, #process + p").first.text_content()
    )
    assert "24 februari 2022" in page.locator("table", has_text="Tagna steg").text_content()
    # now the parties can decide: the form is there
    assert page.get_by_role("button", name="Spara beslutet").is_visible()


def test_a_viewer_sees_no_forms(page, server):
    with server.api() as api:
        made = agreement(api)
        email = user(api, "viewer")
    sign_in(page, email)
    for path, follow in ((f"/agreements/{made['id']}", 1), ("/parties/1401", 1), ("/", 0)):
        page.goto(path)
        # signing out, and following (anyone signed in may follow), nothing that changes a record
        assert page.locator("form[method=post]").count() == 1 + follow
        assert page.locator("form[action='/me/follows']").count() == follow
        assert page.get_by_role("button", name="Logga ut").is_visible()


def test_sorting_the_matrix_swaps_the_table_without_reloading_the_page(page, server):
    with server.api() as api:
        agreement(api)
    page.goto("/structures/vastra-gotaland")
    page.evaluate("window.notReloaded = true")
    page.get_by_role("link", name="Flest parter som inte beslutat").click()
    page.wait_for_url("**sort=pending")
    assert page.evaluate("window.notReloaded === true")
    assert (
        page.get_by_role("link", name="Flest parter som inte beslutat").get_attribute("aria-current")
        == "true"
    )


def test_the_skip_link_is_the_first_stop_and_leads_to_the_content(page, server):
    page.goto("/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Hoppa till innehållet"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "innehall"


def test_a_clerk_makes_their_own_calendar_and_a_new_link_stops_the_old_one(page, server):
    # given an agreement Härryda has still to decide, and Härryda's clerk signed in
    with server.api() as api:
        made = agreement(api)
        email = user(api, "clerk", party="1401")
    sign_in(page, email)
    page.get_by_role("link", name="Min kalender").click()
    page.wait_for_url("**/me/calendar")
    assert "registrator för Härryda (1401)" in page.get_by_role("main").text_content()
    # when the clerk makes their calendar link
    with page.expect_navigation():
        page.get_by_role("button", name="Skapa min kalenderlänk").click()
    https = page.get_by_role("link", name="Kalenderlänk att klistra in (https)")
    first = https.get_attribute("href")
    webcal = page.get_by_role("link", name="Prenumerera i kalenderprogrammet (webcal)").get_attribute("href")
    assert webcal == "webcal://" + first.split("://", 1)[1]
    assert page.get_by_label("Länken att klistra in").input_value() == first
    # then a calendar program fetching the link finds Härryda's deadline, not another party's
    feed = httpx.get(first, timeout=30)
    assert feed.status_code == 200
    assert feed.headers["content-type"].startswith("text/calendar")
    assert f"UID:agreement-{made['id']}-decision_due-1401@samverkan" in feed.text
    assert f"UID:agreement-{made['id']}-decision_due-1402@samverkan" not in feed.text
    # and a new link replaces it: the old one answers 404 from then on
    with page.expect_navigation():
        page.get_by_role("button", name="Byt till en ny länk").click()
    second = page.get_by_role("link", name="Kalenderlänk att klistra in (https)").get_attribute("href")
    assert second != first
    assert httpx.get(first, timeout=30).status_code == 404
    assert httpx.get(second, timeout=30).status_code == 200


def test_a_signed_in_clerk_follows_and_unfollows_an_agreement(page, server):
    with server.api() as api:
        made = agreement(api, title="Avtal att följa")
        email = user(api, "clerk", party="1401")
    sign_in(page, email, then=f"/agreements/{made['id']}")
    # the clerk follows it from its page
    page.get_by_role("button", name="Följ", exact=True).click()
    page.wait_for_url("**sparat=foljer**")
    assert page.get_by_role("status").filter(has_text="Du följer den nu.").is_visible()
    assert page.get_by_role("button", name="Sluta följa").is_visible()
    # Mina aviseringar lists it, with a link back
    page.get_by_role("link", name="Mina aviseringar").click()
    page.wait_for_url("**/me/notifications")
    assert page.get_by_role("link", name="Avtal att följa").is_visible()
    # and the clerk stops following it from its page
    page.goto(f"/agreements/{made['id']}")
    page.get_by_role("button", name="Sluta följa").click()
    page.wait_for_url("**sparat=foljer-inte**")
    assert page.get_by_role("status").filter(has_text="Du följer den inte längre.").is_visible()
    assert page.get_by_role("button", name="Följ", exact=True).is_visible()
    page.goto("/me/notifications")
    assert page.get_by_role("heading", name="Mina aviseringar", level=1).is_visible()
    assert page.get_by_role("link", name="Avtal att följa").count() == 0
    with server.api() as api:
        subs = api.get("/api/subscriptions", params={"agreement": made["id"]}).json()
    assert subs == []
