"""A remiss round in the browser (issue "Rounds", Done when): a secretariat opens a remiss round
for Örebro's 13 parties with two questions; one clerk submits, one declines, one saves a draft;
the overview shows 2 of 13 answered; the sweep on the reminder day e-mails only the 11 that have
not answered; the export holds both answers; closing the round records the remiss step."""

from __future__ import annotations

import csv
import io
import uuid

from documents import render
from tests.e2e.data import agreement, ok, sign_in, user

REPLY_BY = "2026-12-15"  # the server's day is 2026-11-23 (tests/e2e/conftest.py)
REMINDER_DAY = "2026-12-08"  # a week ahead: round_reply's first lead


def _orebro_agreement(api) -> tuple[dict, list[str]]:
    created = ok(
        api.post(
            "/api/agreements",
            json={
                "structure": "orebro",
                "kind": "overenskommelse",
                "title": f"Länsavtal {uuid.uuid4().hex[:6]}",
            },
        )
    )
    for step, taken_on in (("behov_identifierat", "2026-09-01"), ("forslag", "2026-10-15")):
        ok(api.post(f"/api/agreements/{created['id']}/steps", json={"step": step, "taken_on": taken_on}))
    parties = [
        p["code"] for p in ok(api.get("/api/parties", params={"structure": "orebro", "limit": 100}))["items"]
    ]
    return created, sorted(parties)


def test_a_remiss_round_for_orebros_13_parties(browser, server, screenshots):
    domain = f"e2e{uuid.uuid4().hex[:8]}.example"
    with server.api() as api:
        made, codes = _orebro_agreement(api)
        assert len(codes) == 13
        contacts = {
            code: ok(api.post(f"/api/parties/{code}/contacts", json={"email": f"reg{code}@{domain}"}))["id"]
            for code in codes
        }
        secretariat = user(api, "secretariat", structure="orebro")
        first, second, third = codes[1], codes[2], codes[3]
        clerks = {code: user(api, "clerk", party=code) for code in (first, second, third)}
    try:
        context = browser.new_context(base_url=server.url, locale="sv-SE")
        page = context.new_page()
        # the secretariat opens the round from the agreement's page
        sign_in(page, secretariat, then=f"/agreements/{made['id']}")
        page.get_by_role("link", name="Öppna en runda").click()
        page.get_by_label("Vad gäller rundan?").select_option("remiss")
        page.get_by_label("Rubrik", exact=True).fill("Remiss: länsavtal")
        page.get_by_label("Sista svarsdag").fill(REPLY_BY)
        page.locator("#round-question_text1").fill("Ställer ni er bakom förslaget?")
        page.locator("#round-question_kind1").select_option("yes_no")
        page.locator("#round-question_text2").fill("Vilken modell föredrar ni?")
        page.locator("#round-question_kind2").select_option("choice")
        page.locator("#round-question_options2").fill("Gemensam; Lokal")
        page.get_by_role("button", name="Öppna rundan").click()
        page.wait_for_url("**/rounds/*?sparat=runda-oppnad")
        round_path = page.url.split("?")[0].removeprefix(server.url)
        assert "0 av 13" in page.locator("#besvarade").text_content()
        context.close()

        def answer(code: str, fill, button: str) -> None:
            ctx = browser.new_context(base_url=server.url, locale="sv-SE")
            tab = ctx.new_page()
            sign_in(tab, clerks[code], then=f"{round_path}/answers/{code}")
            fill(tab)
            tab.get_by_role("button", name=button).click()
            tab.wait_for_url("**sparat=svar-**")
            assert tab.get_by_role("status").is_visible()
            ctx.close()

        def full(tab) -> None:
            tab.get_by_label("ja", exact=True).check()
            tab.get_by_label("Lokal", exact=True).check()
            tab.locator("#answer-decided_body").fill("Socialnämnden")
            tab.locator("#answer-decided_on").fill("2026-11-20")

        answer(first, full, "Lämna in svaret")
        answer(second, lambda tab: None, "Avstå från att svara")
        answer(third, lambda tab: tab.get_by_label("nej", exact=True).check(), "Spara som utkast")

        # the overview, read by anyone
        reader = browser.new_context(base_url=server.url, locale="sv-SE")
        page = reader.new_page()
        page.goto(round_path)
        assert "2 av 13" in page.locator("#besvarade").text_content()
        assert "Utkast" in page.locator(f'tr[data-party="{third}"]').text_content()
        assert "Inlämnat" in page.locator(f'tr[data-party="{first}"]').text_content()
        assert "Avstår" in page.locator(f'tr[data-party="{second}"]').text_content()
        page.screenshot(path=str(screenshots / "runda-oversikt.png"), full_page=True)
        reader.close()

        with server.api() as api:
            # the sweep on the reminder day e-mails only the 11 parties that have not answered
            ok(api.post("/api/admin/sweep", json={"as_of": REMINDER_DAY}))
            rows = ok(api.get("/api/deliveries", params={"agreement": made["id"], "limit": 500}))["items"]
            not_answered = set(codes) - {first, second}
            assert len(not_answered) == 11
            assert {r["party_code"] for r in rows if r["kind"] == "round_reply"} == not_answered
            reminded = {r["recipient"] for r in rows if r["kind"] == "round_reply"}
            # each such party's registrator and clerks (a clerk follows its party: the one who saved
            # a draft, and any other clerk account of those parties); nobody of the two that answered
            assert {r for r in reminded if r.endswith(domain)} == {f"reg{c}@{domain}" for c in not_answered}
            assert clerks[third] in reminded
            assert not reminded & {clerks[first], clerks[second]}
            assert {r["kind"] for r in rows} == {"round_reply"}
            # the export holds both answers
            exported = api.get(f"{round_path}/svar.csv")
            table = list(csv.reader(io.StringIO(exported.text.lstrip("\ufeff")), delimiter=";"))
            by_code = {row[1]: row for row in table[1:]}
            assert by_code[first][2] == "Inlämnat" and by_code[first][9:11] == ["ja", "Lokal"]
            assert by_code[first][5] == "Socialnämnden"
            assert by_code[second][2] == "Avstår"
            assert by_code[third][2] == "Utkast" and by_code[third][9:11] == ["", ""]

        # the secretariat closes the round: the remiss step is recorded as done
        context = browser.new_context(base_url=server.url, locale="sv-SE")
        page = context.new_page()
        sign_in(page, secretariat, then=round_path)
        page.get_by_label("Sammanställning av svaren").fill("Två av tretton parter svarade; en avstod.")
        page.get_by_role("button", name="Stäng rundan").click()
        page.wait_for_url("**sparat=runda-stangd")
        assert "Två av tretton parter svarade" in page.locator("#sammanstallning ~ p").first.text_content()
        context.close()
        with server.api() as api:
            remiss = [
                s for s in ok(api.get(f"/api/agreements/{made['id']}/timeline")) if s["step"] == "remiss"
            ]
            assert [(s["reply_by"], s["completed_on"]) for s in remiss] == [(REPLY_BY, "2026-11-23")]
    finally:
        with server.api() as api:
            for code, contact_id in contacts.items():
                api.delete(f"/api/parties/{code}/contacts/{contact_id}")


def test_a_round_for_gr_opened_by_the_form_and_a_file_removed_by_its_button(browser, server, screenshots):
    """Västra Götaland's secretariat asks GR's members (a kommunalförbund recommends its own,
    seed 003), then removes a wrong file from the round's material; Härryda's clerk removes one
    from its answer."""
    with server.api() as api:
        made = agreement(api, recommended=False, title=f"Avtal för GR {uuid.uuid4().hex[:6]}")
        secretariat = user(api, "secretariat", structure="vastra-gotaland")
        clerk = user(api, "clerk", party="1401")
        gr = {m["code"] for m in ok(api.get("/api/groups/gr"))["members"]}
    context = browser.new_context(base_url=server.url, locale="sv-SE")
    page = context.new_page()
    sign_in(page, secretariat, then=f"/agreements/{made['id']}")
    page.get_by_role("link", name="Öppna en runda").click()
    page.get_by_label("Vad gäller rundan?").select_option("enkat")
    page.get_by_label("Rubrik", exact=True).fill("Enkät till GR:s kommuner")
    page.get_by_label("Sista svarsdag").fill(REPLY_BY)
    # all the parties are asked unless the secretariat chooses: the group list and the 50
    # parties' boxes show only under the choice they belong to
    assert page.get_by_label("Alla överenskommelsens parter", exact=False).is_checked()
    assert page.locator("#round-group").is_hidden() and page.locator("#round-parties").is_hidden()
    page.get_by_label("Utvalda parter", exact=True).check()
    assert page.locator("#round-parties").is_visible() and page.locator("#round-group").is_hidden()
    page.get_by_label("En grupp av parter", exact=False).check()
    assert page.locator("#round-group").is_visible() and page.locator("#round-parties").is_hidden()
    # no group chosen: the error beside the group's field, what was typed kept
    page.get_by_role("button", name="Öppna rundan").click()
    error = page.locator("#round-group-error")
    assert "Välj vilken grupp av parter som ska tillfrågas." in error.text_content()
    assert page.get_by_label("Rubrik", exact=True).input_value() == "Enkät till GR:s kommuner"
    page.get_by_label("Grupp", exact=True).select_option("gr")
    page.get_by_role("button", name="Öppna rundan").click()
    page.wait_for_url("**/rounds/*?sparat=runda-oppnad")
    round_path = page.url.split("?")[0].removeprefix(server.url)
    assert "0 av 12" in page.locator("#besvarade").text_content()
    assert {row.get_attribute("data-party") for row in page.locator("tr[data-party]").all()} == gr

    def add_file(tab, title: str, button: str) -> None:
        pdf = {"name": "fil.pdf", "mimeType": "application/pdf", "buffer": render.pdf([[title]])}
        tab.get_by_label("Fil", exact=True).set_input_files(pdf)
        tab.get_by_label("Titel").fill(title)
        tab.get_by_role("button", name=button).click()
        tab.wait_for_url("**sparat=fil**")

    # the secretariat removes a wrong file from the round's material
    add_file(page, "Fel version av underlaget", "Ladda upp")
    assert page.get_by_role("link", name="Fel version av underlaget").is_visible()
    page.get_by_role("button", name="Ta bort Fel version av underlaget").click()
    page.wait_for_url("**sparat=fil-borttagen**")
    assert page.get_by_role("status").text_content().strip() == "Filen är borttagen."
    assert page.get_by_role("link", name="Fel version av underlaget").count() == 0
    context.close()

    # Härryda's clerk removes a file from its answer, also once it is submitted
    context = browser.new_context(base_url=server.url, locale="sv-SE")
    tab = context.new_page()
    sign_in(tab, clerk, then=f"{round_path}/answers/1401")
    add_file(tab, "Fel protokoll", "Ladda upp")
    tab.get_by_role("button", name="Lämna in svaret").click()
    tab.wait_for_url("**sparat=svar-inlamnat**")
    tab.get_by_role("button", name="Ta bort Fel protokoll").click()
    tab.wait_for_url("**sparat=fil-borttagen**")
    assert "Filen är borttagen ur svaret." in tab.get_by_role("status").text_content()
    assert tab.get_by_text("Inga bifogade filer.").is_visible()
    tab.screenshot(path=str(screenshots / "svar-fil-borttagen.png"), full_page=True)
    context.close()
    with server.api() as api:
        round_id = round_path.rsplit("/", 1)[1]
        assert ok(api.get(f"/api/rounds/{round_id}/files")) == []
