"""#29 in the browser: the department's reviewer checks the key question by question on a laptop and disputes one on a
phone; the department's organizer reads the dispute; the youth union's organizer sees neither."""

from __future__ import annotations

import re

from tests.e2e.conftest import ARTIFACTS, login

BANK = "Ngân hàng mẫu chuyển đổi số"


def _bank_address(page, server: str) -> str:  # type: ignore[no-untyped-def]
    page.goto(server + "/admin/banks")
    return server + page.get_attribute(f"a:text-is('{BANK}')", "href")


def _checked(page) -> int:  # type: ignore[no-untyped-def]
    found = re.search(r"Đã thẩm định (\d+) / (\d+) câu", page.inner_text("main"))
    assert found, page.inner_text("main")
    return int(found.group(1))


def test_the_reviewer_checks_on_a_laptop_and_disputes_on_a_phone(server, browser, phone) -> None:
    context = browser.new_context(bypass_csp=True, viewport={"width": 1366, "height": 900}, locale="vi-VN")
    laptop = context.new_page()
    login(laptop, server, "0900000004")
    bank = _bank_address(laptop, server)
    laptop.goto(bank)
    assert "Đã thẩm định" in laptop.inner_text("main")
    assert laptop.locator("main a:text-is('Sửa')").count() == 0  # a reviewer edits nothing
    laptop.click("text=Thẩm định đáp án")
    laptop.wait_for_selector("form.review-form")
    before = _checked(laptop)
    assert laptop.locator("ol.options li.correct").count() >= 1  # the key is shown
    laptop.screenshot(path=ARTIFACTS / "29-review-laptop.png", full_page=True)
    laptop.click("button[value=checked]")
    laptop.wait_for_selector(".flash")
    assert "đáp án đã được thẩm định" in laptop.inner_text(".flash")
    assert _checked(laptop) == before + 1
    context.close()

    login(phone, server, "0900000004")
    phone.goto(bank + "/review")
    phone.wait_for_selector("form.review-form")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390 + 1
    number = phone.inner_text("#question-title .tag")
    phone.fill("#comment", "Đáp án cần đối chiếu với Nghị quyết mới nhất.")
    phone.screenshot(path=ARTIFACTS / "29-review-phone.png", full_page=True)
    phone.click("button[value=disputed]")
    phone.wait_for_selector(".flash")
    assert "có ý kiến" in phone.inner_text(".flash")

    organizer = browser.new_context(bypass_csp=True, viewport={"width": 1366, "height": 900}, locale="vi-VN")
    page = organizer.new_page()
    login(page, server, "0900000001")
    page.goto(bank)
    assert page.locator("article.dispute").count() == 2  # the demo's dispute and this one
    disputes = page.inner_text("section[aria-labelledby=disputes-title]")
    assert "Đáp án cần đối chiếu với Nghị quyết mới nhất." in disputes and number in disputes
    page.screenshot(path=ARTIFACTS / "29-disputes-laptop.png", full_page=True)
    organizer.close()


def test_the_youth_unions_organizer_sees_only_its_own_work(server, browser) -> None:
    context = browser.new_context(bypass_csp=True, viewport={"width": 1366, "height": 900}, locale="vi-VN")
    department = context.new_page()
    login(department, server, "0900000001")
    bank = _bank_address(department, server)
    context.close()
    youth_context = browser.new_context(bypass_csp=True, viewport={"width": 1366, "height": 900}, locale="vi-VN")
    youth = youth_context.new_page()
    login(youth, server, "0900000005")
    youth.goto(server + "/admin/contests")
    listed = youth.inner_text("main")
    assert "Tuổi trẻ Hòa Bình Xanh" in listed
    assert "trực tuyến tìm hiểu" not in listed and "Hội thi" not in listed  # the department's two contests
    assert youth.goto(bank).status == 404
    assert youth.goto(server + "/admin/rounds/1").status == 404
    youth.goto(server + "/admin/")
    youth.screenshot(path=ARTIFACTS / "29-youth-union-home.png", full_page=True)
    youth_context.close()
