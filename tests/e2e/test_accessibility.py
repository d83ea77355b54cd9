"""axe-core (from the npm registry, injected into each page) finds no serious or critical
violation on the participant pages, on a phone."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.conftest import login

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
PUBLIC_PAGES = [
    "/",
    "/contests/cds-2026",
    "/register",
    "/login",
    "/contests/cds-2026/leaderboard",
    "/contests/cds-2026/leaderboard?round=1&table=A",
    "/contests/cds-2026/results",
    "/contests/cds-2026/screen",
    "/contests/cds-2026/bulletin",
    "/contests/cds-2026/widget?unit=HBX-SKHCN",
    "/huong-dan",
    "/verify",
    "/contests/cds-2026/practice",
]


def _serious_violations(page) -> list:  # type: ignore[no-untyped-def,type-arg]
    if not AXE.exists():
        pytest.fail("axe-core is missing: run `npm install` (make e2e does)")
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate(
        "async () => (await axe.run(document)).violations"
        ".map(v => ({id: v.id, impact: v.impact, html: v.nodes[0].html}))"
    )
    return [v for v in violations if v["impact"] in ("serious", "critical")]


def test_public_pages(server, phone) -> None:
    for path in PUBLIC_PAGES:
        phone.goto(server + path)
        assert _serious_violations(phone) == [], path


def test_quiz_pages(server, phone) -> None:
    phone.goto(server + "/login")
    phone.fill("#phone", "0900000002")
    phone.fill("#password", "Demo@2026")
    phone.click("button[type=submit]")
    phone.goto(server + "/rounds/1/take")
    assert _serious_violations(phone) == [], "start page"
    phone.click("text=Bắt đầu làm bài")
    phone.wait_for_selector("#palette li")
    assert _serious_violations(phone) == [], "quiz"
    phone.click("#review")
    phone.once("dialog", lambda dialog: dialog.accept())
    phone.click("#submit-button")
    phone.wait_for_url("**/result")
    assert _serious_violations(phone) == [], "result"
    phone.goto(server + "/account")
    assert _serious_violations(phone) == [], "account"


ORGANIZER_PAGES = [
    "/admin/",
    "/admin/contests",
    "/admin/contests/cds-2026/edit",
    "/admin/contests/cds-2026/rounds/new",
    "/admin/rounds/1",
    "/admin/rounds/1/monitor",
    "/admin/rounds/1/questions",
    "/admin/rounds/1/integrity",
    "/admin/rounds/2",
    "/admin/contests/cds-2026/documents",
    "/admin/users?q=0900000002",
    "/admin/audit",
    "/admin/banks",
    "/admin/units",
    "/unit/?unit=HBX",
]


def test_organizer_pages(server, browser) -> None:
    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900}, locale="vi-VN")
    page = context.new_page()
    login(page, server, "0900000001")
    for path in ORGANIZER_PAGES:
        response = page.goto(server + path)
        assert response is not None and response.status == 200, path
        assert _serious_violations(page) == [], path
    context.close()
