"""#27 item 1 in the browser: Back leaves the quiz, the clock goes on; the contest page says so first, with the time
left, and "Tiếp tục làm bài" opens the question the person was on."""

from __future__ import annotations

from tests.e2e.conftest import ARTIFACTS, login, start_quiz


def test_the_contest_page_shows_the_running_attempt_and_resumes_at_the_question(server, phone) -> None:
    page = phone
    login(page, server, "0900000017")  # a demo participant with attempts left, no other browser test uses
    start_quiz(page, server)
    page.check("#q1 input >> nth=0")
    page.click("#next")
    page.click("#next")
    assert page.locator("#q3").is_visible()
    page.go_back()  # the phone's Back
    page.goto(server + "/contests/cds-2026")  # where Back leads from the round's page
    banner = page.locator(".running-attempt")
    said = banner.inner_text()
    assert banner.is_visible() and "Bạn đang làm bài" in said and "Thời gian còn lại: 00:1" in said
    assert page.evaluate("document.querySelector('.running-attempt').getBoundingClientRect().top") < 300  # first
    page.screenshot(path=ARTIFACTS / "27-running-attempt-phone.png", full_page=True)
    banner.get_by_text("Tiếp tục làm bài").click()
    page.wait_for_selector("#palette li")
    assert page.locator("#q3").is_visible() and not page.locator("#q1").is_visible()  # where they were
    page.reload()  # a reload too
    page.wait_for_selector("#palette li")
    assert page.locator("#q3").is_visible()
