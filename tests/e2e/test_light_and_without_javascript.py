"""Light on slow phones: the quiz page's first load is small; and the core journey works with
JavaScript turned off (plain form posts)."""

from __future__ import annotations

from tests.e2e.conftest import ARTIFACTS, login, start_quiz

QUIZ_BUDGET_BYTES = 150 * 1024


def test_quiz_page_weighs_under_150_kb(server, browser) -> None:
    context = browser.new_context(bypass_csp=True, viewport={"width": 390, "height": 844})
    page = context.new_page()
    login(page, server, "0900000002")
    start_quiz(page, server)
    sizes: list[int] = []
    fresh = browser.new_context(
        bypass_csp=True, viewport={"width": 390, "height": 844}, storage_state=context.storage_state()
    )
    measured = fresh.new_page()
    measured.on("response", lambda response: sizes.append(len(response.body())))
    measured.goto(server + "/rounds/1/take", wait_until="networkidle")
    total = sum(sizes)
    (ARTIFACTS / "quiz-weight.txt").write_text(f"{total} bytes in {len(sizes)} responses\n")
    assert 0 < total < QUIZ_BUDGET_BYTES
    fresh.close()
    context.close()


def test_the_quiz_without_javascript(server, browser) -> None:
    context = browser.new_context(bypass_csp=True, viewport={"width": 390, "height": 844}, java_script_enabled=False)
    page = context.new_page()
    login(page, server, "0900000010")  # a demo participant with one attempt used of three
    page.goto(server + "/rounds/1/take")
    page.click("text=Bắt đầu làm bài")
    assert page.locator("fieldset.question-card").count() == 20  # every question on one page
    page.check("#q1 input >> nth=0")
    page.check("#q2 input >> nth=1")
    page.click("button[value=save]")
    assert "Đã lưu câu trả lời" in page.content()
    assert page.is_checked("#q1 input >> nth=0")
    page.fill("#prediction", "9")
    page.click("button[value=submit]")
    assert page.url.endswith("/result") and "Kết quả của bạn" in page.content()
    page.screenshot(path=ARTIFACTS / "04-no-javascript-result.png", full_page=True)
    context.close()
