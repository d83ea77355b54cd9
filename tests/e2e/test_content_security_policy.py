"""The pages work under their real Content-Security-Policy: the quiz, the big screen and the monitoring charts run
their scripts, and the browser reports no violation (the other journeys bypass the policy to drive the pages)."""

from __future__ import annotations

from tests.e2e.conftest import ARTIFACTS, login, register


def test_the_pages_run_their_scripts_under_the_policy(server, browser) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    page = context.new_page()
    violations: list[str] = []

    def watch(message) -> None:  # type: ignore[no-untyped-def]
        if "Content Security Policy" in message.text:
            violations.append(message.text)

    page.on("console", watch)
    page.on("pageerror", lambda error: violations.append(str(error)))
    register(page, server, "Vũ Thị Chính Sách", "0987 777 201", "so y te")
    page.click("button[value=register]")
    page.goto(f"{server}/rounds/1/take")
    page.click("text=Bắt đầu làm bài")
    page.locator("#palette li").first.wait_for()  # drawn by quiz.js
    page.check("#q1 input >> nth=0")
    page.locator("#save-status", has_text="Đã lưu").wait_for()  # saved by quiz.js through fetch
    page.goto(f"{server}/contests/cds-2026/screen")
    page.locator("#stat-participants").wait_for()
    page.screenshot(path=ARTIFACTS / "csp-screen.png")
    context.close()
    organizer_context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    organizer = organizer_context.new_page()
    organizer.on("console", watch)
    organizer.on("pageerror", lambda error: violations.append(str(error)))
    login(organizer, server, "0900000001")
    organizer.goto(f"{server}/admin/rounds/1/monitor")
    organizer.locator("canvas").first.wait_for()
    organizer_context.close()
    assert violations == []
