"""#27 item 5's tail: the tables a unit administrator and the public use on a phone keep what matters in view at
390 px (a card a row for people and requests, the rate and its growth in the bulletin and the units table), and read
as tables at laptop size. Screenshots of each at both sizes are kept in the artifacts."""

from __future__ import annotations

from tests.e2e.conftest import ARTIFACTS, login, server_cli

PHONE_WIDTH = 390


def _fits(page) -> None:  # type: ignore[no-untyped-def]
    """Nothing on the page, and nothing inside a table's scroll box, is wider than the phone."""
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH + 1
    overflowing = page.evaluate(
        """Array.from(document.querySelectorAll('.table-wrap'))
             .filter(w => w.scrollWidth > w.clientWidth + 1)
             .map(w => (w.closest('section')?.querySelector('h2')?.textContent || '') + ' ' + w.scrollWidth + '>'
                       + w.clientWidth)"""
    )
    assert overflowing == []


def _in_view(page, selector: str) -> None:  # type: ignore[no-untyped-def]
    """Each match is visible and within the screen's width (not hidden, not off to the right)."""
    boxes = page.evaluate(
        f"""Array.from(document.querySelectorAll({selector!r})).map(e => {{
              const r = e.getBoundingClientRect(); return [r.width, r.right]; }})"""
    )
    assert boxes, selector
    assert all(width > 0 and right <= PHONE_WIDTH + 1 for width, right in boxes), (selector, boxes)


def _label(page, name: str) -> str:  # type: ignore[no-untyped-def]
    """What a phone shows before the first cell of the column `name` (the cards' labels are drawn by CSS)."""
    return page.evaluate(f"getComputedStyle(document.querySelector('td[data-label=\"{name}\"]'), '::before').content")


def test_a_unit_administrator_decides_requests_and_reads_the_tables_on_a_phone(server, browser, phone) -> None:
    server_cli("contest", "create", "--slug", "hoi-thi-xet-duyet", "--title", "Hội thi xét duyệt", "--body", "1")
    server_cli("contest", "configure", "--slug", "hoi-thi-xet-duyet", "--eligibility", "approval")
    times = ["--opens", "2026-01-01T08:00", "--closes", "2030-01-01T08:00", "--bank", "Ngân hàng mẫu chuyển đổi số"]
    server_cli("round", "create", "--contest", "hoi-thi-xet-duyet", "--name", "Vòng 1", "--questions", "5", *times)
    # the demo's newcomer, of the unit administrator's unit, asks to take part
    login(phone, server, "0912000101")
    phone.goto(server + "/contests/hoi-thi-xet-duyet")
    phone.click("text=Gửi yêu cầu tham gia")
    assert "Yêu cầu tham gia đang chờ quản trị đơn vị phê duyệt." in phone.inner_text("main")
    phone.context.clear_cookies()

    login(phone, server, "0900000003")
    phone.goto(server + "/unit/requests")
    _fits(phone)
    _in_view(phone, "main table.stack button[value=approve]")
    text = phone.inner_text("main")
    assert "Đang chờ" in text and "Hội thi xét duyệt" in text
    assert _label(phone, "Trạng thái") == '"Trạng thái: "'  # each value under its column's name
    phone.screenshot(path=ARTIFACTS / "27-unit-requests-phone.png", full_page=True)
    phone.click("main button[value=approve]")
    assert "Đã duyệt" in phone.inner_text("main table")

    phone.goto(server + "/unit/?round=1")
    _fits(phone)
    _in_view(phone, "main table.stack button[type=submit]")  # "Đặt lại mật khẩu" of each person
    assert _label(phone, "Đã tham gia") == '"Đã tham gia: "'
    phone.screenshot(path=ARTIFACTS / "27-unit-members-phone.png", full_page=True)

    phone.goto(server + "/contests/cds-2026/bulletin")
    _fits(phone)
    _in_view(phone, "main table.board td:nth-child(5) .rate-bar")  # the participation rate
    _in_view(phone, "main table.board td:nth-child(6)")  # and its growth since the day before
    phone.screenshot(path=ARTIFACTS / "27-bulletin-phone.png", full_page=True)

    laptop = browser.new_page(viewport={"width": 1366, "height": 768})
    login(laptop, server, "0900000003")
    for path, name in (("/unit/requests", "unit-requests"), ("/unit/?round=1", "unit-members")):
        laptop.goto(server + path)
        # at laptop size the same rows are a table again, with its column heads
        assert laptop.evaluate("getComputedStyle(document.querySelector('table.stack thead')).position") != "absolute"
        assert laptop.evaluate("getComputedStyle(document.querySelector('table.stack tr')).display") == "table-row"
        laptop.screenshot(path=ARTIFACTS / f"27-{name}-laptop.png", full_page=True)
    laptop.goto(server + "/contests/cds-2026/bulletin")
    assert "Chỉ tiêu" in laptop.inner_text("main table thead")
    laptop.screenshot(path=ARTIFACTS / "27-bulletin-laptop.png", full_page=True)
    laptop.close()


def test_an_organizer_reads_a_units_subunits_with_their_rates_on_a_phone(server, phone) -> None:
    login(phone, server, "0900000001")
    phone.goto(server + "/unit/?unit=HBX")
    _fits(phone)
    _in_view(phone, "main table.board td:nth-child(4) .rate-bar")
    phone.screenshot(path=ARTIFACTS / "27-unit-subunits-phone.png", full_page=True)
