"""#27 item 6 in the browser: a unit administrator on a phone opens a person of their unit who has not taken part
yet and corrects the name; the list shows it."""

from __future__ import annotations

from tests.e2e.conftest import ARTIFACTS, login


def test_a_unit_admin_corrects_a_name_on_a_phone(server, phone) -> None:
    login(phone, server, "0900000003")
    phone.goto(server + "/unit/?show=missing")
    phone.click("text=tran thi bich")  # the demo's newcomer, her name typed without its marks
    phone.wait_for_selector("#name")
    assert "Sửa thông tin của" in phone.inner_text("h1")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390 + 1
    phone.screenshot(path=ARTIFACTS / "27-unit-admin-details-phone.png", full_page=True)
    phone.fill("#name", "Trần Thị Bích")
    phone.click("main button[type=submit]")
    phone.wait_for_url("**/unit/?unit=*")
    text = phone.inner_text("main")
    assert "Đã lưu thông tin của Trần Thị Bích" in text or "Trần Thị Bích" in text
    assert "tran thi bich" not in text
