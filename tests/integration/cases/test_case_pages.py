"""The samverkansbrister pages: the public form (refusal, then acceptance), the status page, the
secretariat's handling, a clerk's answer, and the analysis with its exports."""

from __future__ import annotations

import re
from urllib.parse import urlencode

from api.security import CSRF_COOKIE, CSRF_FIELD
from tests.integration.conftest import bearer

PASSWORD = "ett-långt-lösenord-för-rapporter"
STATUS_LINK = re.compile(
    r'id="status-link" href="http://testserver\.local(/samverkansbrister/status/[A-Za-z0-9_-]+)"'
)
FORM = {
    "occurred_on": "2026-11-02",
    "category": "Informationsöverföring",
    "what_happened": "Hemsjukvården fick ingen information om utskrivningen.",
    "consequence": "Personen blev utan läkemedel en natt.",
}


async def _post(browser, path: str, data: dict | list):
    items = list(data.items()) if isinstance(data, dict) else data
    body = urlencode([*items, (CSRF_FIELD, browser.cookies[CSRF_COOKIE])]).encode()
    headers = {"content-type": "application/x-www-form-urlencoded"}
    return await browser.post(path, content=body, headers=headers, follow_redirects=False)


async def test_a_report_through_the_pages_from_form_to_analysis(
    client, anonymous_client, vg_agreement, make_user
):
    a = vg_agreement["id"]
    browser = anonymous_client
    search = await browser.get("/samverkansbrister?q=HoS-avtal")
    assert search.status_code == 200 and f'href="/samverkansbrister?agreement={a}"' in search.text
    form = await browser.get(f"/samverkansbrister?agreement={a}")
    assert "ersätter inte" in form.text and 'name="party_codes" value="1401"' in form.text

    fields = [("agreement_id", str(a)), ("party_codes", "1401"), ("party_codes", "14"), *FORM.items()]
    refused = await _post(browser, "/samverkansbrister", [*fields[:-1], ("consequence", "Se 121212-1212.")])
    assert refused.status_code == 422
    assert "”121212-1212”" in refused.text and 'aria-invalid="true"' in refused.text
    assert "Hemsjukvården fick ingen information" in refused.text  # what was typed is kept

    accepted = await _post(browser, "/samverkansbrister", [*fields, ("reporter_email", "c@vard.example")])
    assert accepted.status_code == 200 and accepted.headers["cache-control"] == "no-store"
    status_path = STATUS_LINK.search(accepted.text).group(1)
    status = await browser.get(status_path)
    assert "Mottagen" in status.text and "c@vard.example" not in status.text

    # the secretariat takes it and sends it to Härryda; the report's page shows the reporter's address
    secretariat = await make_user("secretariat", structure="vastra-gotaland")
    listing = await client.get(f"/agreements/{a}/samverkansbrister", headers=bearer(secretariat))
    case_id = int(re.search(rf'href="/agreements/{a}/samverkansbrister/(\d+)"', listing.text).group(1))
    base = f"/agreements/{a}/samverkansbrister/{case_id}"
    assert (
        await client.post(f"{base}/ta", headers=bearer(secretariat), follow_redirects=False)
    ).status_code == 303
    sent = await client.post(
        f"{base}/skicka", data={"parties": "1401"}, headers=bearer(secretariat), follow_redirects=False
    )
    assert sent.status_code == 303
    page = await client.get(base, headers=bearer(secretariat))
    assert "c@vard.example" in page.text and "Skickad till berörda parter" in page.text
    # the agreement's steward handles it too, but gives no party's account: no answer form to refuse
    steward = await make_user("steward", agreement_id=a)
    stewards = await client.get(base, headers=bearer(steward))
    assert stewards.status_code == 200 and "Skicka till parterna" in stewards.text
    assert "Svar från" not in stewards.text

    # Härryda's clerk sees the report without the address and answers; another clerk may not read it
    clerk = await make_user("clerk", party="1401")
    seen = await client.get(base, headers=bearer(clerk))
    assert seen.status_code == 200 and "c@vard.example" not in seen.text and "Svar från Härryda" in seen.text
    outsider = await make_user("clerk", party="1402")
    assert (await client.get(base, headers=bearer(outsider))).status_code == 403
    empty = await client.post(
        f"{base}/svar/1401", data={"answer": " "}, headers=bearer(clerk), follow_redirects=False
    )
    assert empty.status_code == 422 and "Skriv partens beskrivning" in empty.text
    answered = await client.post(
        f"{base}/svar/1401",
        data={"answer": "Vi fick inget meddelande."},
        headers=bearer(clerk),
        follow_redirects=False,
    )
    assert answered.status_code == 303

    no_measure = await client.post(
        f"{base}/avsluta", data={"conclusion": "Klart"}, headers=bearer(secretariat), follow_redirects=False
    )
    assert no_measure.status_code == 422 and "Välj en åtgärd" in no_measure.text
    closed = await client.post(
        f"{base}/avsluta",
        data={"conclusion": "Rutinen ses över.", "measure": "follow_up"},
        headers=bearer(secretariat),
        follow_redirects=False,
    )
    assert closed.status_code == 303
    assert "Rutinen ses över." in (await browser.get(status_path)).text

    analysis = await browser.get(f"/agreements/{a}/samverkansbrister/analys")
    assert analysis.status_code == 200 and 'role="img"' in analysis.text
    assert "Informationsöverföring" in analysis.text and "Hemsjukvården" not in analysis.text
    assert "median 0,0 dagar till avslut" in analysis.text  # closed the day it came: a decimal comma
    csv = await browser.get(f"/agreements/{a}/samverkansbrister/analys.csv")
    assert (
        csv.text.startswith("\ufeffIndelning;Grupp") and "Kategori;Informationsöverföring;1;0;1" in csv.text
    )
    xlsx = await browser.get(f"/agreements/{a}/samverkansbrister/analys.xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"

    # the structure's analysis counts it under its agreement, beside the structure's other reports
    made = (await client.get(f"/api/agreements/{a}")).json()
    title = f"{made['title']} ({made['reference']})" if made.get("reference") else made["title"]
    counts = (await browser.get("/api/structures/vastra-gotaland/cases/analysis")).json()
    mine = next(g for g in counts["by_agreement"] if g["label"] == title)
    assert (mine["total"], mine["open"], mine["closed"]) == (1, 0, 1)
    assert counts["total"]["total"] == sum(g["total"] for g in counts["by_agreement"])
    structure = await browser.get("/structures/vastra-gotaland/samverkansbrister/analys")
    assert structure.status_code == 200 and "Per överenskommelse" in structure.text
    assert title in structure.text and "Hemsjukvården" not in structure.text
    structure_csv = await browser.get("/structures/vastra-gotaland/samverkansbrister/analys.csv")
    assert f"Överenskommelse;{title};1;0;1" in structure_csv.text
    structure_xlsx = await browser.get("/structures/vastra-gotaland/samverkansbrister/analys.xlsx")
    assert structure_xlsx.status_code == 200 and structure_xlsx.content[:2] == b"PK"
    assert (await browser.get("/structures/ingen-struktur/samverkansbrister/analys")).status_code == 404


async def test_a_date_that_is_not_a_date_is_refused_beside_its_field_with_what_was_typed(
    anonymous_client, vg_agreement
):
    browser = anonymous_client
    await browser.get(f"/samverkansbrister?agreement={vg_agreement['id']}")
    fields = [("agreement_id", str(vg_agreement["id"])), ("party_codes", "1401"), *FORM.items()]
    refused = await _post(browser, "/samverkansbrister", [*fields[:2], *fields[3:], ("occurred_on", "igår")])
    assert refused.status_code == 422
    assert "Datumet för händelsen ska vara ett datum som 2026-11-23, inte ”igår”." in refused.text
    assert "Hemsjukvården fick ingen information" in refused.text
