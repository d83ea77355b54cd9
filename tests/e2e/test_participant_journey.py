"""A participant on a phone: registers with the unit picker, takes the quiz through a lost
connection and a reload, submits, and finds themselves on the board."""

from __future__ import annotations

from tests.e2e.conftest import ARTIFACTS, register


def test_register_take_the_quiz_offline_and_back_then_the_board(server, phone) -> None:
    page = phone
    register(page, server, "Trần Thị Thử", "0987 111 222", "so y te")
    page.screenshot(path=ARTIFACTS / "01-register.png", full_page=True)
    page.click("button[value=register]")
    assert page.url == server + "/"

    page.goto(server + "/rounds/1/take")
    page.click("text=Bắt đầu làm bài")
    page.wait_for_selector("#palette li")
    assert page.locator("#palette li").count() == 20
    page.check("#q1 input >> nth=0")
    page.wait_for_function("document.getElementById('save-status').textContent.includes('Đã lưu')")

    page.context.set_offline(True)
    page.click("#next")
    page.check("#q2 input >> nth=1")
    page.click("#flag")
    page.wait_for_function("document.getElementById('save-status').textContent.includes('Mất kết nối')")
    page.screenshot(path=ARTIFACTS / "02-offline.png")
    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.wait_for_function("document.getElementById('save-status').textContent.includes('Đã lưu')")

    page.reload()
    page.wait_for_selector("#palette li")
    assert page.is_checked("#q1 input >> nth=0") and page.is_checked("#q2 input >> nth=1")
    assert "flagged" in page.get_attribute("#palette li:nth-child(2) button", "class")
    page.click("#review")
    assert "3, 4, 5" in page.inner_text("#unanswered-note")
    # an empty prediction is asked about before anything is sent; saying no leads back to it
    asked: list[str] = []

    def decline(dialog) -> None:  # type: ignore[no-untyped-def]
        asked.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", decline)
    page.click("#submit-button")
    page.wait_for_function("document.activeElement && document.activeElement.id === 'prediction'")
    assert asked and asked[0].startswith("Gửi bài mà không dự đoán?") and "/take" in page.url
    page.fill("#prediction", "12")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#submit-button")
    page.wait_for_url("**/result")
    page.screenshot(path=ARTIFACTS / "03-result.png", full_page=True)
    assert "Kết quả của bạn" in page.content()

    page.goto(server + "/contests/cds-2026/leaderboard")
    assert "Trần T. T." in page.content()
