"""#27 item 7 in the browser: the question edit page shows the question's and the options' pictures with their
descriptions and a way to replace or add one; the prize form says its numbers are per table; both at laptop and
phone sizes, screenshots kept."""

from __future__ import annotations

from tests.e2e.conftest import ARTIFACTS, login

PRACTICE_BANK = "Ngân hàng thi thử chuyển đổi số"


def test_the_question_edit_page_and_the_prize_form_on_a_laptop_and_a_phone(server, browser, phone) -> None:
    context = browser.new_context(bypass_csp=True, viewport={"width": 1366, "height": 900}, locale="vi-VN")
    laptop = context.new_page()
    login(laptop, server, "0900000001")
    laptop.goto(server + "/admin/banks")
    laptop.click(f"a:text-is('{PRACTICE_BANK}')")
    with_picture = laptop.locator("article.question:has(img.question-picture)").first
    edit = server + with_picture.locator("a:text-is('Sửa')").get_attribute("href")
    laptop.goto(edit)
    assert laptop.locator("fieldset.picture-edit img").count() == 1
    assert laptop.locator("input[type=file][name=picture_file]").count() == 1
    assert laptop.locator("details.option-picture-edit summary").first.inner_text().startswith("Thêm ảnh cho phương án")
    laptop.screenshot(path=ARTIFACTS / "27-question-edit-laptop.png", full_page=True)
    laptop.goto(server + "/admin/rounds/1")
    assert "áp dụng cho mỗi bảng" in laptop.inner_text("#prizes-per-table")
    laptop.locator("section[aria-labelledby=prizes-title]").screenshot(path=ARTIFACTS / "27-prizes-laptop.png")
    context.close()

    login(phone, server, "0900000001")
    phone.goto(edit)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390 + 1
    phone.screenshot(path=ARTIFACTS / "27-question-edit-phone.png", full_page=True)
    phone.goto(server + "/admin/rounds/1")
    phone.locator("section[aria-labelledby=prizes-title]").screenshot(path=ARTIFACTS / "27-prizes-phone.png")
